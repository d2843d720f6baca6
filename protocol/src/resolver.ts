// Server side of the rotating ids: for every wearable key, the ids of the windows w-1, w
// and w+1 (clock drift either way), so an id heard on air resolves in one lookup. Advancing
// a window drops the oldest window's ids and computes the newest's.

import { hexFromBytes } from './bytes';
import { hmacSha256 } from './hmac';
import type { Sha256 } from './hmac';
import { rotatingIdWith } from './rotating-id';
import type { HmacSha256 } from './rotating-id';

export type ResolvedId = { deviceId: string; window: number; key: Uint8Array };

type DeviceKey = { deviceId: string; key: Uint8Array };

export class RotatingIdResolver {
  window: number;
  /** Ids that two keys shared (expected never: 8-byte ids, ~2^-26 for 300,000 of them). */
  collisions = 0;
  private count = 0;
  private hmac: HmacSha256;
  private byId: Record<string, ResolvedId> = {};
  private keys: DeviceKey[] = [];
  // Ids indexed per window, so dropping a window costs no HMAC.
  private idsByWindow: Record<string, string[]> = {};

  /** hmac: optional faster HMAC-SHA256 (Node's createHmac); same result as hmacSha256. */
  constructor(sha256: Sha256, window: number, hmac?: HmacSha256) {
    this.window = window;
    this.hmac = hmac !== undefined ? hmac : (k, m) => hmacSha256(sha256, k, m);
  }

  /** Number of ids currently resolvable. */
  get size(): number {
    return this.count;
  }

  /** Adds a device key; a device in key rotation has two, both resolvable. */
  addDevice(deviceId: string, key: Uint8Array): void {
    this.keys.push({ deviceId: deviceId, key: key });
    for (let w = this.window - 1; w <= this.window + 1; w++) this.index(deviceId, key, w);
  }

  /** Forgets every key of the device (retired, or its old key after a rotation grace). */
  removeDevice(deviceId: string): void {
    const kept: DeviceKey[] = [];
    for (let i = 0; i < this.keys.length; i++) {
      const entry = this.keys[i];
      if (entry.deviceId !== deviceId) {
        kept.push(entry);
        continue;
      }
      for (let w = this.window - 1; w <= this.window + 1; w++) {
        this.unindex(hexFromBytes(rotatingIdWith(this.hmac, entry.key, w)), entry.key, w);
      }
    }
    this.keys = kept;
  }

  /** Moves to a new current window (forward or back), keeping w-1..w+1 indexed. */
  advanceTo(window: number): void {
    if (window === this.window) return;
    const oldLow = this.window - 1;
    const oldHigh = this.window + 1;
    for (let w = oldLow; w <= oldHigh; w++) {
      if (w < window - 1 || w > window + 1) this.dropWindow(w);
    }
    for (let w = window - 1; w <= window + 1; w++) {
      if (w < oldLow || w > oldHigh) {
        for (let i = 0; i < this.keys.length; i++) {
          this.index(this.keys[i].deviceId, this.keys[i].key, w);
        }
      }
    }
    this.window = window;
  }

  resolve(rotatingIdBytes: Uint8Array): ResolvedId | undefined {
    return this.byId[hexFromBytes(rotatingIdBytes)];
  }

  private index(deviceId: string, key: Uint8Array, window: number): void {
    const id = hexFromBytes(rotatingIdWith(this.hmac, key, window));
    const existing = this.byId[id];
    if (existing === undefined) this.count += 1;
    else if (existing.key !== key) this.collisions += 1;
    this.byId[id] = { deviceId: deviceId, window: window, key: key };
    const slot = String(window);
    const ids = this.idsByWindow[slot];
    if (ids === undefined) this.idsByWindow[slot] = [id];
    else ids.push(id);
  }

  private unindex(id: string, key: Uint8Array | undefined, window: number): void {
    const existing = this.byId[id];
    if (existing === undefined || existing.window !== window) return;
    if (key !== undefined && existing.key !== key) return;
    delete this.byId[id];
    this.count -= 1;
  }

  private dropWindow(window: number): void {
    const slot = String(window);
    const ids = this.idsByWindow[slot];
    if (ids === undefined) return;
    for (let i = 0; i < ids.length; i++) this.unindex(ids[i], undefined, window);
    delete this.idsByWindow[slot];
  }
}
