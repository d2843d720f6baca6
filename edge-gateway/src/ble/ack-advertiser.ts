// Downlink to wearables: the ack frame goes out as a BLE advert (manufacturer data) that
// the wearable picks up while it scans during its alarm (NRF.setScan in the firmware).
// Why an advert and not a GATT write to the wearable:
// - the wearable need not be connectable: it stays a pure broadcaster with a rotating
//   address, no pairing, no bonding keys, nothing that makes it trackable;
// - several gateways that heard the same alarm can all advertise the ack at once, with no
//   contention for a single connection and no gateway waiting on another's timeout;
// - the ack is authenticated by the device key inside the frame (protocol/), so an advert
//   needs no link-layer security.
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../clock';

/** Seam for the radio: the real one is bleno; tests and rigs use a virtual radio. */
export interface AckAdvertiser {
  /** Puts `manufacturerData` (company id + ack frame) on air for `durationMs`. */
  advertise(manufacturerData: Buffer, durationMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** What BlenoAckAdvertiser needs of bleno's Bleno (so a fake can stand in). */
export type BlenoLike = {
  state: string;
  on(event: 'stateChange', listener: (state: string) => void): unknown;
  startAdvertisingWithEIRDataAsync(advertisementData: Buffer): Promise<void>;
  stopAdvertisingAsync(): Promise<void>;
  stop(): void;
};

// 1 s per ack when several are due: the wearable scans continuously while alarmed and an
// advert at bleno's default 100 ms interval is heard within a few hundred ms.
const TURN_MS = 1000;
// AD structure "Flags" = LE General Discoverable, BR/EDR not supported (Core Supplement 1.3).
const FLAGS_AD = Buffer.from([0x02, 0x01, 0x06]);
const MANUFACTURER_DATA_AD = 0xff;

export function eirWithManufacturerData(manufacturerData: Buffer): Buffer {
  const header = Buffer.from([manufacturerData.length + 1, MANUFACTURER_DATA_AD]);
  return Buffer.concat([FLAGS_AD, header, manufacturerData]);
}

/**
 * Legacy advertising carries one payload at a time, so pending acks take turns on air
 * until each one's time is up. Known shortcoming: bleno advertises connectable (ADV_IND);
 * a central that connects finds an empty GATT table and the adverts pause meanwhile.
 */
export class BlenoAckAdvertiser implements AckAdvertiser {
  private readonly due = new Map<string, { eir: Buffer; until: number }>();
  private timer: TimerHandle | undefined;
  private turn = 0;

  constructor(
    private readonly bleno: BlenoLike,
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {
    // bleno opens its HCI bindings only when a 'stateChange' listener is added: without
    // this subscription the adapter is never started and no ack would ever go on air.
    bleno.on('stateChange', (state) => log.info({ state }, 'ble advertiser state'));
  }

  async advertise(manufacturerData: Buffer, durationMs: number): Promise<void> {
    const eir = eirWithManufacturerData(manufacturerData);
    if (eir.length > 31) throw new RangeError(`advert of ${eir.length} bytes exceeds 31`);
    this.due.set(manufacturerData.toString('hex'), {
      eir,
      until: this.clock.now() + durationMs,
    });
    if (this.timer === undefined) await this.next();
  }

  async stop(): Promise<void> {
    this.due.clear();
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.bleno.state === 'poweredOn')
      await this.bleno.stopAdvertisingAsync().catch(() => {});
    this.bleno.stop();
  }

  private async next(): Promise<void> {
    const now = this.clock.now();
    for (const [key, ack] of this.due) if (ack.until <= now) this.due.delete(key);
    const acks = [...this.due.values()];
    if (acks.length === 0) {
      this.timer = undefined;
      await this.bleno.stopAdvertisingAsync().catch(() => {});
      return;
    }
    const ack = acks[this.turn++ % acks.length];
    this.timer = this.clock.setTimeout(
      () => void this.next(),
      Math.min(TURN_MS, ack.until - now),
    );
    if (this.bleno.state !== 'poweredOn') {
      this.log.warn(
        { state: this.bleno.state },
        'ble adapter not ready: wearable ack not sent',
      );
      return;
    }
    await this.bleno.startAdvertisingWithEIRDataAsync(ack.eir).catch((error: Error) => {
      this.log.error({ err: error.message }, 'wearable ack advert failed');
    });
  }
}

/** The real radio: bleno on the configured HCI adapter, loaded only when BLE is enabled. */
export async function openBlenoAdvertiser(
  adapter: string | undefined,
  log: Logger,
  clock: Clock,
): Promise<BlenoAckAdvertiser> {
  const { default: HciBindings } =
    await import('@stoprocent/bleno/lib/hci-socket/bindings.js');
  const bindings = new HciBindings({ deviceId: hciDeviceId(adapter) });
  return blenoAdvertiserOver(bindings, log, clock);
}

/**
 * bleno's own Bleno class over the given bindings: the HCI ones in production, a fake
 * radio in tests, so everything above the bindings is the same code in both.
 */
export async function blenoAdvertiserOver(
  bindings: unknown,
  log: Logger,
  clock: Clock,
): Promise<BlenoAckAdvertiser> {
  const { default: Bleno } = await import('@stoprocent/bleno/lib/bleno.js');
  return new BlenoAckAdvertiser(new Bleno(bindings), log, clock);
}

/** 'hci1' -> 1; the adapter names BlueZ shows in `hciconfig` / `btmgmt info`. */
export function hciDeviceId(adapter: string | undefined): number {
  if (adapter === undefined) return 0;
  const match = /^hci(\d+)$/.exec(adapter);
  if (match === null)
    throw new RangeError(`ble.adapter must look like hci0, got ${adapter}`);
  return Number(match[1]);
}
