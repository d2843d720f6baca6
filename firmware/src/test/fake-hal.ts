// Fake HAL for the logic's unit tests: sinon's fake clock drives the timers, Storage is a
// plain object, and every output (lamps, adverts, link bytes, prints) is recorded.
import { createHash } from 'node:crypto';
import sinon from 'sinon';
import type { PostHal, PostLamp, TimerHandle, WearableHal, WearableLamp } from '../hal';

export type FakeClock = sinon.SinonFakeTimers;

export function fakeClock(start = 1_700_000_000_000): FakeClock {
  return sinon.useFakeTimers({
    now: start,
    toFake: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'Date'],
  });
}

export function nodeSha256(message: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(message).digest());
}

export class FakeDevice {
  files: Record<string, unknown> = {};
  writes = 0;
  /** A full Storage: every saveJson is refused and writes nothing. */
  full = false;
  writeRefused = false;
  /** Writes refused because Storage was full. */
  refusals = 0;
  printed: string[] = [];
  button = false;
  battery = 3.0;
  watchdogKicks = 0;
  watchdogSeconds = 0;
  private buttonListener: ((pressed: boolean) => void) | undefined;

  constructor(readonly clock: FakeClock) {}

  nowMs(): number {
    return this.clock.now;
  }
  unixSeconds(): number {
    return Math.floor(this.clock.now / 1000);
  }
  after(ms: number, run: () => void): TimerHandle {
    return setTimeout(run, ms);
  }
  every(ms: number, run: () => void): TimerHandle {
    return setInterval(run, ms);
  }
  cancel(timer: TimerHandle | undefined): void {
    if (timer !== undefined) clearTimeout(timer as NodeJS.Timeout);
  }
  sha256 = nodeSha256;
  loadJson(file: string): unknown {
    const value = this.files[file];
    return typeof value === 'string' ? JSON.parse(value) : undefined;
  }
  saveJson(file: string, value: unknown): boolean {
    this.writeRefused = this.full;
    if (this.full) {
      this.refusals++;
      return false;
    }
    this.writes++;
    this.files[file] = JSON.stringify(value);
    return true;
  }
  eraseFile(file: string): void {
    delete this.files[file];
  }
  freeBytes(): number {
    return 100_000;
  }
  watchButton(onEdge: (pressed: boolean) => void): void {
    this.buttonListener = onEdge;
  }
  buttonPressed(): boolean {
    return this.button;
  }
  batteryVolts(): number {
    return this.battery;
  }
  startWatchdog(seconds: number): void {
    this.watchdogSeconds = seconds;
  }
  feedWatchdog(): void {
    this.watchdogKicks++;
  }
  note(line: string): void {
    this.printed.push(line);
  }

  /** Simulates the finger: an edge now, as the debounced setWatch would report it. */
  press(): void {
    this.button = true;
    this.buttonListener?.(true);
  }
  release(): void {
    this.button = false;
    this.buttonListener?.(false);
  }
  tap(): void {
    this.press();
    this.clock.tick(80);
    this.release();
  }
}

export class FakePost extends FakeDevice implements PostHal {
  lamps: Record<PostLamp, boolean> = { calling: false, received: false, strobe: false };
  tamper = false;
  mains = true;
  inCall = false;
  dials: number[] = [];
  sent: Uint8Array[] = [];
  private linkListener: ((bytes: Uint8Array) => void) | undefined;

  lamp(which: PostLamp, on: boolean): void {
    this.lamps[which] = on;
  }
  tamperOpen(): boolean {
    return this.tamper;
  }
  mainsPresent(): boolean {
    return this.mains;
  }
  intercomDial(ms: number): void {
    this.dials.push(ms);
  }
  intercomInCall(): boolean {
    return this.inCall;
  }
  linkWrite(bytes: Uint8Array): void {
    this.sent.push(bytes.slice());
  }
  onLinkData(receive: (bytes: Uint8Array) => void): void {
    this.linkListener = receive;
  }
  /** Bytes from the gateway side of the serial line. */
  receive(bytes: Uint8Array): void {
    this.linkListener?.(bytes);
  }
}

export interface Advert {
  data: Uint8Array;
  intervalMs: number;
  at: number;
  address: string;
}

export class FakeWearable extends FakeDevice implements WearableHal {
  lamps: Record<WearableLamp, boolean> = { red: false, green: false, blue: false };
  adverts: Advert[] = [];
  advertising: Advert | undefined;
  address = '';
  scanning = false;
  vibrations = 0;
  private scanListener: ((data: Uint8Array) => void) | undefined;

  lamp(which: WearableLamp, on: boolean): void {
    this.lamps[which] = on;
  }
  vibrate(): void {
    this.vibrations++;
  }
  advertise(data: Uint8Array, intervalMs: number): void {
    this.advertising = {
      data: data.slice(),
      intervalMs,
      at: this.clock.now,
      address: this.address,
    };
    this.adverts.push(this.advertising);
  }
  stopAdvertising(): void {
    this.advertising = undefined;
  }
  useAddress(address: Uint8Array): void {
    this.address = Buffer.from(address).toString('hex');
  }
  startScan(onAdvert: (data: Uint8Array) => void): void {
    this.scanning = true;
    this.scanListener = onAdvert;
  }
  stopScan(): void {
    this.scanning = false;
    this.scanListener = undefined;
  }
  /** An advert heard over the air (manufacturer data after the company id). */
  hear(data: Uint8Array): void {
    this.scanListener?.(data);
  }
}
