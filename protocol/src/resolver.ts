// Server side of the rotating ids: for every wearable key, the ids of the windows w-1, w
// and w+1 (clock drift either way), so an id heard on air resolves in one lookup. Advancing
// a window drops the oldest window's ids and computes the newest's.

import { hexFromBytes } from './bytes';
import type { Sha256 } from './hmac';
import { rotatingId } from './rotating-id';

export type ResolvedId = { deviceId: string; window: number; key: Uint8Array };

export class RotatingIdResolver {
  window: number;
  /** Ids that two keys shared (expected never: 8-byte ids, ~2^-26 for 300,000 of them). */
  collisions = 0;
  private count = 0;
  private sha256: Sha256;
  private byId: Record<string, ResolvedId> = {};
  private keysByDevice: Record<string, Uint8Array[]> = {};

  constructor(sha256: Sha256, window: number) {
    this.sha256 = sha256;
    this.window = window;
  }

  /** Number of ids currently resolvable. */
  get size(): number {
    return this.count;
  }

  /** Adds a device key; a device in key rotation has two, both resolvable. */
  addDevice(deviceId: string, key: Uint8Array): void {
    const keys = this.keysByDevice[deviceId];
    if (keys === undefined) this.keysByDevice[deviceId] = [key];
    else keys.push(key);
    for (let w = this.window - 1; w <= this.window + 1; w++) this.index(deviceId, key, w);
  }

  removeDevice(deviceId: string): void {
    const keys = this.keysByDevice[deviceId];
    if (keys === undefined) return;
    for (let i = 0; i < keys.length; i++) {
      for (let w = this.window - 1; w <= this.window + 1; w++) this.unindex(keys[i], w);
    }
    delete this.keysByDevice[deviceId];
  }

  /** Moves to a new current window (forward or back), keeping w-1..w+1 indexed. */
  advanceTo(window: number): void {
    if (window === this.window) return;
    const oldLow = this.window - 1;
    const oldHigh = this.window + 1;
    const deviceIds = Object.keys(this.keysByDevice);
    for (let i = 0; i < deviceIds.length; i++) {
      const keys = this.keysByDevice[deviceIds[i]];
      for (let k = 0; k < keys.length; k++) {
        for (let w = oldLow; w <= oldHigh; w++) {
          if (w < window - 1 || w > window + 1) this.unindex(keys[k], w);
        }
        for (let w = window - 1; w <= window + 1; w++) {
          if (w < oldLow || w > oldHigh) this.index(deviceIds[i], keys[k], w);
        }
      }
    }
    this.window = window;
  }

  resolve(rotatingIdBytes: Uint8Array): ResolvedId | undefined {
    return this.byId[hexFromBytes(rotatingIdBytes)];
  }

  private index(deviceId: string, key: Uint8Array, window: number): void {
    const id = hexFromBytes(rotatingId(this.sha256, key, window));
    const existing = this.byId[id];
    if (existing === undefined) this.count += 1;
    else if (existing.key !== key) this.collisions += 1;
    this.byId[id] = { deviceId: deviceId, window: window, key: key };
  }

  private unindex(key: Uint8Array, window: number): void {
    const id = hexFromBytes(rotatingId(this.sha256, key, window));
    const existing = this.byId[id];
    if (existing !== undefined && existing.key === key && existing.window === window) {
      delete this.byId[id];
      this.count -= 1;
    }
  }
}
