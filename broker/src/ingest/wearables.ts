// Resolves a wearable's rotating id to the device and window it belongs to, through
// protocol/'s RotatingIdResolver (ids of windows w-1, w, w+1 for every key a wearable
// holds, the rotation's grace key included). The index advances as the 15-minute window
// turns and is topped up from the registry when an id is not found.
import { RotatingIdResolver, windowOf } from '@urgence/protocol';
import type { Registry } from '../registry/index';
import { sha256 } from './crypto';

export interface Resolution {
  readonly deviceId: string;
  readonly window: number;
  /** The key whose id matched (current, or the one a rotation replaced). */
  readonly key: Uint8Array;
}

/**
 * A miss re-reads devices changed since the last read at most this often, so a flood of
 * unknown ids (a neighbour's beacons, an attacker) costs one query a second, not one each.
 */
const REFRESH_ON_MISS_MS = 1_000;

export class WearableIndex {
  private readonly registry: Registry;
  private resolver: RotatingIdResolver | undefined;
  private readAt = -1;
  private lastRefresh = -Infinity;

  constructor(registry: Registry) {
    this.registry = registry;
  }

  resolve(id: Uint8Array, now: number): Resolution | undefined {
    const resolver = this.current(now);
    const found = resolver.resolve(id) ?? this.retry(resolver, id, now);
    if (found === undefined) return undefined;
    return { deviceId: found.deviceId, window: found.window, key: found.key };
  }

  /** Ids held (3 windows × keys × wearables), for telemetry and tests. */
  get size(): number {
    return this.resolver?.size ?? 0;
  }

  private current(now: number): RotatingIdResolver {
    const window = windowOf(Math.floor(now / 1000));
    if (this.resolver === undefined) {
      this.resolver = new RotatingIdResolver(sha256, window);
      this.addChangedSince(this.resolver, now);
    } else {
      this.resolver.advanceTo(window);
    }
    return this.resolver;
  }

  private retry(resolver: RotatingIdResolver, id: Uint8Array, now: number) {
    if (now - this.lastRefresh < REFRESH_ON_MISS_MS) return undefined;
    this.lastRefresh = now;
    this.addChangedSince(resolver, now);
    return resolver.resolve(id);
  }

  /** (Re)indexes wearables added, rotated or retired since the last read. */
  private addChangedSince(resolver: RotatingIdResolver, now: number): void {
    const rows = this.registry.db
      .prepare(
        `SELECT id, updated_at FROM devices WHERE kind = 'wearable' AND updated_at > ?
          ORDER BY updated_at`,
      )
      .all(this.readAt) as { id: string; updated_at: number }[];
    for (const row of rows) {
      resolver.removeDevice(row.id);
      for (const key of this.registry.validKeys(row.id, now))
        resolver.addDevice(row.id, key);
      this.readAt = Math.max(this.readAt, row.updated_at);
    }
  }
}
