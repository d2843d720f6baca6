// Per-device replay state: the protocol's ReplayWindow (highest counter + 32-entry
// window), cached in memory and persisted in the same transaction as the message it
// admits, so a restarted broker refuses exactly what it refused before.
import type { DeviceStore } from '../incidents/devices';

/** Highest counter seen plus a bitmap of the 32 below it (OSCORE-style, RFC 8613 §7.4). */
interface WindowState {
  top: number;
  seen: number;
}

const WINDOW = 32;

function admits(state: WindowState | undefined, counter: number): boolean {
  if (state === undefined || counter > state.top) return true;
  const behind = state.top - counter;
  if (behind >= WINDOW) return false;
  return (state.seen & (1 << behind)) === 0 && behind !== 0;
}

function admit(state: WindowState | undefined, counter: number): WindowState {
  if (state === undefined) return { top: counter, seen: 1 };
  if (counter > state.top) {
    const shift = counter - state.top;
    const seen = shift >= WINDOW ? 0 : (state.seen << shift) >>> 0;
    return { top: counter, seen: (seen | 1) >>> 0 };
  }
  return { top: state.top, seen: (state.seen | (1 << (state.top - counter))) >>> 0 };
}

export class ReplayBook {
  private readonly devices: DeviceStore;
  private readonly cache = new Map<string, WindowState | undefined>();

  constructor(devices: DeviceStore) {
    this.devices = devices;
  }

  /** True when this counter has never been admitted for the device. */
  isFresh(deviceId: string, counter: number): boolean {
    return admits(this.load(deviceId), counter);
  }

  /** Admits the counter; call inside the transaction that records the message. */
  admit(deviceId: string, counter: number): void {
    const next = admit(this.load(deviceId), counter);
    this.devices.saveReplayState(deviceId, JSON.stringify(next));
    this.cache.set(deviceId, next);
  }

  /** Forgets cached state, e.g. after a rolled-back transaction. */
  forget(deviceId: string): void {
    this.cache.delete(deviceId);
  }

  private load(deviceId: string): WindowState | undefined {
    if (this.cache.has(deviceId)) return this.cache.get(deviceId);
    const stored = this.devices.loadReplayState(deviceId);
    const state = stored === undefined ? undefined : (JSON.parse(stored) as WindowState);
    this.cache.set(deviceId, state);
    return state;
  }
}
