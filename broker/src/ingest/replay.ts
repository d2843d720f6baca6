// Per-device replay state: protocol/'s ReplayWindow (highest counter + 32-entry window,
// RFC 8613 §7.4), cached in memory and persisted in the same transaction as the message
// it admits, so a restarted broker refuses exactly what it refused before.
import { ReplayWindow, replayWindowFromState } from '@urgence/protocol';
import type { Logger } from 'pino';
import type { DeviceStore } from '../incidents/devices';

export class ReplayBook {
  private readonly devices: DeviceStore;
  private readonly logger: Logger;
  private readonly cache = new Map<string, ReplayWindow>();

  constructor(devices: DeviceStore, logger: Logger) {
    this.devices = devices;
    this.logger = logger;
  }

  /** True when this counter has never been admitted for the device. */
  isFresh(deviceId: string, counter: number): boolean {
    return this.load(deviceId).check(counter).ok;
  }

  /** Admits the counter; call inside the transaction that records the message. */
  admit(deviceId: string, counter: number): void {
    const window = this.load(deviceId);
    window.accept(counter);
    this.devices.saveReplayState(deviceId, JSON.stringify(window.toState()));
  }

  /** Drops every cached window after a rolled-back transaction may have changed some. */
  forgetAll(): void {
    this.cache.clear();
  }

  private load(deviceId: string): ReplayWindow {
    const cached = this.cache.get(deviceId);
    if (cached !== undefined) return cached;
    const window = this.fromStore(deviceId);
    this.cache.set(deviceId, window);
    return window;
  }

  private fromStore(deviceId: string): ReplayWindow {
    const stored = this.devices.loadReplayState(deviceId);
    if (stored === undefined) return new ReplayWindow();
    let parsed: unknown;
    try {
      parsed = JSON.parse(stored);
    } catch {
      parsed = undefined;
    }
    const restored = replayWindowFromState(parsed);
    if (restored.ok) return restored.value;
    // A damaged row must not reopen the device to replays: start above the highest
    // counter the device state remembers, so only newer messages pass.
    const last = this.devices.get(deviceId)?.lastCounter ?? -1;
    this.logger.error(
      { device: deviceId, error: restored.error.message },
      'replay state damaged',
    );
    const window = new ReplayWindow();
    if (last >= 0) window.accept(last);
    return window;
  }
}
