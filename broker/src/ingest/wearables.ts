// Resolves a wearable's rotating id to the device and window it belongs to. Ids of the
// previous, current and next 15-minute windows are precomputed for every key a wearable
// holds (current, and the previous one during a rotation's grace), rebuilt when the window
// turns, and topped up from the registry when an id is not found.
import { hexFromBytes, rotatingId, windowOf } from '@urgence/protocol';
import type { Registry } from '../registry/index';
import { sha256 } from './crypto';

export interface Resolution {
  readonly deviceId: string;
  readonly window: number;
}

/**
 * A miss re-reads devices changed since the last read at most this often, so a flood of
 * unknown ids (a neighbour's beacons, an attacker) costs one query a second, not one each.
 */
const REFRESH_ON_MISS_MS = 1_000;

export class WearableIndex {
  private readonly registry: Registry;
  private byId = new Map<string, Resolution>();
  private window = -1;
  private readAt = 0;
  private lastRefresh = -Infinity;

  constructor(registry: Registry) {
    this.registry = registry;
  }

  resolve(id: Uint8Array, now: number): Resolution | undefined {
    const window = windowOf(Math.floor(now / 1000));
    if (window !== this.window) this.rebuild(window, now);
    const key = hexFromBytes(id);
    const found = this.byId.get(key);
    if (found !== undefined) return found;
    if (now - this.lastRefresh < REFRESH_ON_MISS_MS) return undefined;
    this.lastRefresh = now;
    this.addChangedSince(this.readAt, now);
    return this.byId.get(key);
  }

  /** Number of ids held (3 windows × keys × wearables), for telemetry and tests. */
  get size(): number {
    return this.byId.size;
  }

  private rebuild(window: number, now: number): void {
    this.window = window;
    this.byId = new Map();
    this.addChangedSince(-1, now);
  }

  private addChangedSince(since: number, now: number): void {
    const rows = this.registry.db
      .prepare(
        `SELECT id, updated_at FROM devices
          WHERE kind = 'wearable' AND retired = 0 AND updated_at > ?`,
      )
      .all(since) as { id: string; updated_at: number }[];
    for (const row of rows) {
      for (const key of this.registry.validKeys(row.id, now)) {
        for (let window = this.window - 1; window <= this.window + 1; window += 1) {
          const id = hexFromBytes(rotatingId(sha256, key, window));
          this.byId.set(id, { deviceId: row.id, window });
        }
      }
      this.readAt = Math.max(this.readAt, row.updated_at);
    }
  }
}
