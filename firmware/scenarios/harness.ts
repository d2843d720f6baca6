// Scenario harness: builds the real bundles (as the build does), boots them in the Espruino
// simulator with provisioning in Storage, and plays the gateway's side of the serial link
// (protocol's Link over the simulated UART) and of the radio.
import { createHash } from 'node:crypto';
import {
  Link,
  bytesEqual,
  decodeWearableFrame,
  openMessage,
  rotatingId,
  windowOf,
} from '@urgence/protocol';
import type { DeviceMessage } from '@urgence/protocol';
import { esp32Post, puckjsPins } from '@urgence/hardware';
import { bundleDevice } from '../build/bundle';
import { devices } from '../build/devices';
import { SimDevice } from '../sim';

export const sha256 = (m: Uint8Array): Uint8Array =>
  new Uint8Array(createHash('sha256').update(m).digest());

/** Wall clock at boot: 100 s into a 15-minute window, so boundaries are predictable. */
export const BOOT_UNIX = Math.floor(1_700_000_000 / 900) * 900 + 100;

const bundles: Record<string, string> = {};

export async function bundleOf(name: 'post' | 'wearable'): Promise<string> {
  if (bundles[name] === undefined) {
    const device = devices.find((d) => d.name === name)!;
    bundles[name] = (await bundleDevice(device)).code;
  }
  return bundles[name]!;
}

export interface Provisioning {
  id: string;
  key: Uint8Array;
  overrides?: Record<string, number>;
}

function provision(sim: SimDevice, kind: string, p: Provisioning): void {
  const file = {
    id: p.id,
    kind,
    key: Buffer.from(p.key).toString('hex'),
    ...p.overrides,
  };
  sim.journal.write('urgence.json', new TextEncoder().encode(JSON.stringify(file)));
}

/** A post on its bench: mains on, door shut, battery at 13.2 V, intercom idle. */
export class PostBench {
  readonly sim: SimDevice;
  readonly heard: Uint8Array[] = [];
  readonly gateway: Link;
  /** When false the gateway stores nothing and sends no link ack (cut or dead gateway). */
  accepting = true;

  constructor(
    readonly bundle: string,
    readonly p: Provisioning,
  ) {
    const pins = esp32Post.pins;
    this.sim = new SimDevice({
      storageBytes: 256 * 1024,
      button: { pin: pins.button.pin, activeHigh: pins.button.activeHigh },
      maxPin: 39,
      uarts: ['Serial1', 'Serial2', 'USB'],
      rmtPulses: true, // Espruino's ESP32 port: digitalPulse cannot time long pulses
    });
    this.sim.pins.input(pins.button.pin, 1);
    this.sim.pins.input(pins.tamper.pin, 0);
    this.sim.pins.input(pins.mainsOk.pin, 0);
    this.sim.pins.input(pins.intercomActive.pin, 1);
    this.setBatteryVolts(13.2);
    provision(this.sim, 'post', p);
    this.sim.setWallClock(BOOT_UNIX);

    const uart = this.sim.uart(esp32Post.gatewayUart.port);
    const clock = this.sim.clock;
    this.gateway = new Link({
      write: (bytes) => uart.feed(bytes),
      onMessage: (payload, accept) => {
        if (this.accepting === false) return;
        this.heard.push(payload);
        accept();
      },
      timer: {
        setTimeout: (run, ms) => clock.schedule(ms, run),
        clearTimeout: (handle) => clock.cancel(handle),
      },
      retransmitMs: 300,
    });
    uart.onWire((bytes) => this.gateway.receive(bytes));
  }

  powerOn(): this {
    this.sim.powerOn(this.bundle);
    return this;
  }

  setBatteryVolts(volts: number): void {
    const sense = esp32Post.battery;
    this.sim.pins.setAnalog(sense.pin, volts / sense.dividerRatio / sense.fullScaleVolts);
  }

  /** Every message the gateway stored, opened and verified with the post key. */
  messages(): DeviceMessage[] {
    return this.heard.map((bytes) => {
      const opened = openMessage(sha256, bytes, (id) =>
        id === this.p.id ? this.p.key : undefined,
      );
      if (opened.ok === false)
        throw new Error('gateway got an unverifiable message: ' + opened.error.message);
      return opened.value.message;
    });
  }

  ofType(type: number): DeviceMessage[] {
    return this.messages().filter((m) => m.type === type);
  }
}

export class WearableBench {
  readonly sim: SimDevice;

  constructor(
    readonly bundle: string,
    readonly p: Provisioning,
    readonly bootUnix = BOOT_UNIX,
  ) {
    this.sim = new SimDevice({
      storageBytes: 40 * 1024,
      button: { pin: puckjsPins.button.pin, activeHigh: true },
      aliases: { BTN: 'D0', LED1: 'D5', LED2: 'D4', LED3: 'D3' },
      // As a real Puck.js: its named, connectable advert is on from every boot until the
      // firmware replaces it.
      bootAdvert: true,
    });
    provision(this.sim, 'wearable', p);
    this.sim.setWallClock(bootUnix);
  }

  powerOn(): this {
    this.sim.powerOn(this.bundle);
    return this;
  }

  /** Frames (after the company id) of every advert our company id went out with. */
  frames(): {
    data: Uint8Array;
    packet: Uint8Array;
    address: string;
    atMs: number;
    intervalMs: number;
  }[] {
    return this.sim.radio.history
      .filter((a) => a.manufacturer === 0xffff && a.manufacturerData !== undefined)
      .map((a) => ({
        data: a.manufacturerData!,
        packet: a.packet,
        address: a.address,
        atMs: a.atMs,
        intervalMs: a.intervalMs,
      }));
  }

  /**
   * The window a frame was sent in: the one (around the simulated time it went out) whose
   * rotating id it carries. Its counter, battery and detail are masked under that window.
   */
  windowOfFrame(frame: { data: Uint8Array; atMs: number }): number {
    const estimate = windowOf(Math.floor(this.bootUnix + frame.atMs / 1000));
    for (let w = estimate - 1; w <= estimate + 1; w++) {
      if (bytesEqual(frame.data.subarray(1, 9), rotatingId(sha256, this.p.key, w)))
        return w;
    }
    throw new Error('frame carries no rotating id of ours near ' + estimate);
  }

  /** Every frame on air unmasked with the device key, as the ingest would read it. */
  messages(): DeviceMessage[] {
    return this.frames().map((f) => {
      const frame = decodeWearableFrame(
        sha256,
        this.p.key,
        this.windowOfFrame(f),
        f.data,
      );
      if (frame.ok === false) throw new Error('bad frame on air: ' + frame.error.message);
      return frame.value.message;
    });
  }
}
