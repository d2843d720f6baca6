// The Node twin of lua/shim/fake-hal.lua: the same clock, the same timer order (due time,
// then id), Storage as a plain object, and every output logged as the same line
// "<ms> <what> <details>". The same script run on both must give the same lines.
import type { PostHal, TimerHandle, WearableHal } from '../src/hal';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** A number, or a flat object's fields in key order ("c=1,d=0,m=d28443…"). */
function render(value: unknown): string {
  if (typeof value !== 'object' || value === null) return String(value);
  const fields = value as Record<string, unknown>;
  return Object.keys(fields)
    .sort()
    .map((key) => `${key}=${String(fields[key])}`)
    .join(',');
}

export class LogicHal implements PostHal, WearableHal {
  now = 0;
  readonly lines: string[] = [];
  button = false;
  private nextId = 1;
  private timers = new Map<number, { due: number; run: () => void; period?: number }>();
  private files: Record<string, unknown> = {};
  private buttonListener: ((pressed: boolean) => void) | undefined;
  private linkListener: ((bytes: Uint8Array) => void) | undefined;
  private scanListener: ((data: Uint8Array) => void) | undefined;

  constructor(
    private readonly battery: number,
    private readonly unixStart: number,
    readonly sha256: (message: Uint8Array) => Uint8Array,
  ) {}

  log(what: string, details?: string): void {
    this.lines.push(`${this.now} ${what}` + (details === undefined ? '' : ' ' + details));
  }

  nowMs(): number {
    return this.now;
  }
  unixSeconds(): number {
    return this.unixStart + Math.floor(this.now / 1000);
  }
  after(ms: number, run: () => void): TimerHandle {
    this.timers.set(this.nextId, { due: this.now + ms, run });
    return this.nextId++;
  }
  every(ms: number, run: () => void): TimerHandle {
    this.timers.set(this.nextId, { due: this.now + ms, run, period: ms });
    return this.nextId++;
  }
  cancel(timer: TimerHandle | undefined): void {
    if (timer !== undefined) this.timers.delete(timer as number);
  }

  /** Runs due timers in time order (then id order), up to now + ms. */
  advance(ms: number): void {
    const finish = this.now + ms;
    for (;;) {
      let next: [number, { due: number; run: () => void; period?: number }] | undefined;
      for (const entry of this.timers) {
        if (entry[1].due > finish) continue;
        if (next === undefined || entry[1].due < next[1].due) next = entry;
        else if (entry[1].due === next[1].due && entry[0] < next[0]) next = entry;
      }
      if (next === undefined) break;
      const [id, timer] = next;
      this.now = timer.due;
      if (timer.period !== undefined) timer.due += timer.period;
      else this.timers.delete(id);
      timer.run();
    }
    this.now = finish;
  }

  loadJson(file: string): unknown {
    return this.files[file];
  }
  readonly writeRefused = false;
  saveJson(file: string, value: unknown): boolean {
    this.files[file] = value;
    this.log('save', file + ' ' + render(value));
    return true;
  }
  eraseFile(file: string): void {
    delete this.files[file];
    this.log('erase', file);
  }
  freeBytes(): number {
    return 100000;
  }

  watchButton(onEdge: (pressed: boolean) => void): void {
    this.buttonListener = onEdge;
  }
  buttonPressed(): boolean {
    return this.button;
  }
  /** The finger: an edge now, as the debounced setWatch reports it. */
  edge(pressed: boolean): void {
    this.button = pressed;
    this.buttonListener?.(pressed);
  }
  batteryVolts(): number {
    return this.battery;
  }
  startWatchdog(seconds: number): void {
    this.log('watchdog', String(seconds));
  }
  feedWatchdog(): void {
    this.log('kick');
  }
  note(line: string): void {
    this.log('note', line);
  }

  lamp(which: string, on: boolean): void {
    this.log('lamp', `${which} ${on}`);
  }
  tamperOpen(): boolean {
    return false;
  }
  mainsPresent(): boolean {
    return true;
  }
  intercomDial(ms: number): void {
    this.log('dial', String(ms));
  }
  intercomInCall(): boolean {
    return false;
  }
  linkWrite(bytes: Uint8Array): void {
    this.log('link', hex(bytes));
  }
  onLinkData(receive: (bytes: Uint8Array) => void): void {
    this.linkListener = receive;
  }
  /** Bytes from the gateway's side of the serial line. */
  feed(text: string): void {
    this.linkListener?.(new Uint8Array(Buffer.from(text, 'hex')));
  }

  vibrate(ms: number): void {
    this.log('vibrate', String(ms));
  }
  advertise(data: Uint8Array, intervalMs: number): void {
    this.log('advertise', `${hex(data)} ${intervalMs}`);
  }
  stopAdvertising(): void {
    this.log('quiet');
  }
  useAddress(address: Uint8Array): void {
    this.log('address', hex(address));
  }
  startScan(onAdvert: (data: Uint8Array) => void): void {
    this.scanListener = onAdvert;
    this.log('scan', 'on');
  }
  stopScan(): void {
    this.scanListener = undefined;
    this.log('scan', 'off');
  }
  /** An advert heard over the air (manufacturer data after the company id). */
  hear(text: string): void {
    this.scanListener?.(new Uint8Array(Buffer.from(text, 'hex')));
  }
}
