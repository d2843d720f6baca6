// BLE input: scans with noble (duplicates allowed: a wearable's repeats are how we learn
// its best RSSI), keeps only our wearable frames and hands them, collapsed by the
// deduplicator, to the gateway. The noble instance is injected: HCI or D-Bus bindings on
// a gateway, a fake bindings object under the real noble code in tests.
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../clock';
import type { GatewayCounters } from '../telemetry';
import { readManufacturerData } from './advert';
import type { WearableAdvert } from './advert';
import { AdvertDeduplicator } from './dedup';
import type { CollapsedFrame } from './dedup';

/** The part of noble's API the scanner uses (noble's Noble class satisfies it). */
export type NobleLike = {
  on(event: 'stateChange', listener: (state: string) => void): unknown;
  on(event: 'discover', listener: (peripheral: PeripheralLike) => void): unknown;
  startScanningAsync(serviceUuids?: string[], allowDuplicates?: boolean): Promise<void>;
  stopScanningAsync(): Promise<void>;
  removeAllListeners(event?: string): unknown;
  stop?(): void;
  /** noble's own (private) cache reset; see PERIPHERAL_SWEEP_MS. */
  _cleanupPeriperals?(): void;
};

/**
 * noble keeps an object for every address it ever heard, and wearables take a new random
 * address every 15 minutes: a gateway up for weeks would grow without bound. It never
 * connects to anything, so dropping the whole cache every 10 minutes loses nothing.
 * The method is noble-internal (name misspelt upstream): without it we only skip the sweep.
 */
const PERIPHERAL_SWEEP_MS = 10 * 60_000;

export type PeripheralLike = {
  rssi: number;
  advertisement: { manufacturerData?: Buffer };
};

export type WearableHeard = CollapsedFrame<WearableAdvert>;

export type ScannerOptions = {
  noble: NobleLike;
  counters: GatewayCounters;
  log: Logger;
  clock: Clock;
  onFrame: (heard: WearableHeard) => void;
};

export class BleScanner {
  state = 'unknown';
  private sweeper: TimerHandle | undefined;
  private readonly dedup: AdvertDeduplicator<WearableAdvert>;

  constructor(private readonly options: ScannerOptions) {
    this.dedup = new AdvertDeduplicator({
      clock: options.clock,
      forward: (heard) => options.onFrame(heard),
      drop: (reason, sender) => {
        options.counters.drop(reason);
        if (reason === 'rate-limited') {
          options.log.warn({ rotatingId: sender }, 'wearable rate-limited');
        }
      },
    });
  }

  start(): void {
    const { noble, log } = this.options;
    noble.on('stateChange', (state) => {
      this.state = state;
      if (state === 'poweredOn') {
        noble.startScanningAsync([], true).then(
          () => log.info('ble scanning'),
          (error: Error) => log.error({ err: error.message }, 'ble scan failed to start'),
        );
      } else {
        log.warn({ state }, 'ble adapter not powered on');
      }
    });
    noble.on('discover', (peripheral) => this.hear(peripheral));
    this.sweeper = this.options.clock.setInterval(
      () => noble._cleanupPeriperals?.(),
      PERIPHERAL_SWEEP_MS,
    );
  }

  async stop(): Promise<void> {
    this.options.clock.clearInterval(this.sweeper);
    this.dedup.flush();
    const { noble } = this.options;
    if (this.state === 'poweredOn') await noble.stopScanningAsync().catch(() => {});
    noble.removeAllListeners('discover');
    noble.removeAllListeners('stateChange');
    noble.stop?.();
  }

  /** The frame heard under `key` was not stored: take its later copies again. */
  forget(key: string): void {
    this.dedup.forget(key);
  }

  /** The frame heard under `key` is stored: its later copies are duplicates. */
  remember(key: string): void {
    this.dedup.remember(key);
  }

  private hear(peripheral: PeripheralLike): void {
    const outcome = readManufacturerData(peripheral.advertisement.manufacturerData);
    if (!outcome.ok) {
      // Other devices' adverts are the normal case in a street: not counted as drops.
      if (outcome.reason === 'bad-frame') this.options.counters.drop('bad-frame');
      return;
    }
    const advert = outcome.advert;
    this.options.counters.framesIn.ble++;
    // The whole frame, tag included: a forged copy with a real id and counter but a wrong
    // tag must not shadow the genuine frame (the ingest rejects the forgery, not this).
    const key = Buffer.from(advert.frame).toString('hex');
    this.dedup.hear({ key, sender: advert.rotatingId, advert, rssi: peripheral.rssi });
  }
}
