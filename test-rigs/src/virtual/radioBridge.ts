// The air between virtual wearables and the gateway. Up: each wearable's current advert is
// heard at its advertising interval (real time) and handed to the gateway's noble through
// its fake bindings. Down: what the gateway's AckAdvertiser puts on air is delivered to
// every wearable that scans, for as long as the gateway advertises it.

import type { VirtualDevice } from './virtualDevice';

export interface HeardAdvert {
  /** BLE address, "c0:11:22:33:44:55". */
  address: string;
  /** Manufacturer data as on air: company id (little-endian) then the frame. */
  manufacturerData: Buffer;
  rssi: number;
}

const tickMs = 50;
/** Adverts on air from a gateway are heard every 100 ms (bleno's default interval). */
const ackHeardEveryMs = 100;

export class RadioBridge {
  private readonly lastHeard = new Map<VirtualDevice, number>();
  private acks: { manufacturerData: Buffer; until: number; nextAt: number }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly wearables: VirtualDevice[],
    private readonly gatewayHears: (advert: HeardAdvert) => void,
    /** Signal strength the gateway measures for each wearable (the area uses it). */
    private readonly rssiOf: (wearable: VirtualDevice) => number = () => -62,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.tick(), tickMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The gateway's AckAdvertiser: `manufacturerData` on air for `durationMs`. */
  advertiseAck(manufacturerData: Buffer, durationMs: number): void {
    const now = Date.now();
    this.acks.push({ manufacturerData, until: now + durationMs, nextAt: now });
  }

  stopAcks(): void {
    this.acks = [];
  }

  private tick(): void {
    const now = Date.now();
    for (const wearable of this.wearables) {
      if (!wearable.linkUp || !wearable.sim.running) continue;
      const advert = wearable.sim.radio.current;
      if (advert?.manufacturerData === undefined || advert.manufacturer === undefined)
        continue;
      const last = this.lastHeard.get(wearable) ?? 0;
      if (now - last < Math.max(advert.intervalMs, tickMs)) continue;
      this.lastHeard.set(wearable, now);
      const company = Buffer.alloc(2);
      company.writeUInt16LE(advert.manufacturer);
      this.gatewayHears({
        address: advert.address.split(' ')[0]!,
        manufacturerData: Buffer.concat([company, advert.manufacturerData]),
        rssi: this.rssiOf(wearable),
      });
    }

    this.acks = this.acks.filter((ack) => ack.until > now);
    for (const ack of this.acks) {
      if (ack.nextAt > now) continue;
      ack.nextAt = now + ackHeardEveryMs;
      const manufacturer = ack.manufacturerData.readUInt16LE(0);
      const frame = new Uint8Array(ack.manufacturerData.subarray(2));
      for (const wearable of this.wearables) {
        if (!wearable.linkUp || !wearable.sim.running) continue;
        wearable.sim.radio.deliver({ manufacturer, manufacturerData: frame, rssi: -55 });
      }
    }
  }
}
