// Pins as Espruino exposes them: objects (D0…, LED1, BTN) or names or numbers accepted by
// digitalWrite/digitalRead/analogRead/pinMode/setWatch, with levels driven by the firmware
// (outputs) or by the test (inputs), a log of every change for LED and strobe patterns, and
// watches with Espruino's edge, repeat and debounce options.

import type { FakeClock } from './clock';

export interface PinChange {
  atMs: number;
  level: number;
}

interface Watch {
  id: number;
  pin: string;
  edge: number; // 1 rising, -1 falling, 0 both
  repeat: boolean;
  debounceMs: number;
  callback: (event: { state: boolean; time: number; lastTime: number }) => void;
  lastTime: number;
  pendingTimer?: number;
  reported: number;
}

export interface WatchOptions {
  repeat?: boolean;
  edge?: string | number;
  debounce?: number;
}

export class PinBank {
  private levels = new Map<string, number>();
  private analog = new Map<string, number>();
  private modes = new Map<string, string>();
  private history = new Map<string, PinChange[]>();
  private watches: Watch[] = [];
  private nextWatchId = 1;

  constructor(
    private readonly clock: FakeClock,
    /** getTime() of the device, in seconds: watch events carry it. */
    private readonly secondsNow: () => number,
    /** Espruino's names for board pins, e.g. LED1 -> D5, BTN -> D0. */
    private readonly aliases: Record<string, string>,
    private readonly onCallbackError: (error: unknown) => void,
  ) {}

  /** Canonical pin name ("D5") from a pin object, a name or a number. */
  nameOf(pin: unknown): string {
    if (typeof pin === 'number' && Number.isInteger(pin) && pin >= 0) return 'D' + pin;
    const text = typeof pin === 'object' && pin !== null ? String(pin) : pin;
    if (typeof text === 'string') {
      const name = this.aliases[text] ?? text;
      if (/^D\d+$/.test(name)) return name;
    }
    // Espruino: "Invalid pin!" for anything it cannot turn into a pin.
    throw new Error('Invalid pin: ' + String(pin));
  }

  level(pin: unknown): number {
    return this.levels.get(this.nameOf(pin)) ?? 0;
  }

  mode(pin: unknown): string | undefined {
    return this.modes.get(this.nameOf(pin));
  }

  setMode(pin: unknown, mode: string): void {
    const name = this.nameOf(pin);
    this.modes.set(name, mode);
    // Pull-ups make an unconnected input read high, as on the board.
    if (mode === 'input_pullup' && !this.history.has(name)) this.levels.set(name, 1);
  }

  changes(pin: unknown): PinChange[] {
    return this.history.get(this.nameOf(pin)) ?? [];
  }

  /** The firmware drives a pin (digitalWrite, pin.set()). */
  drive(pin: unknown, level: number): void {
    const name = this.nameOf(pin);
    if (!this.modes.has(name) || this.modes.get(name)!.startsWith('input')) {
      this.modes.set(name, 'output'); // Espruino switches a pin to output when written
    }
    this.change(name, level);
  }

  /** The outside world (the test) changes an input; watches see the edge. */
  input(pin: unknown, level: number): void {
    this.change(this.nameOf(pin), level);
  }

  analogValue(pin: unknown): number {
    return this.analog.get(this.nameOf(pin)) ?? 0;
  }

  setAnalog(pin: unknown, value: number): void {
    this.analog.set(this.nameOf(pin), value);
  }

  watch(
    callback: Watch['callback'],
    pin: unknown,
    options: boolean | WatchOptions = {},
  ): number {
    if (typeof callback !== 'function')
      throw new Error('setWatch: callback must be a function');
    const opts: WatchOptions =
      typeof options === 'boolean' ? { repeat: options } : options;
    const edges: Record<string, number> = { rising: 1, falling: -1, both: 0 };
    // Espruino's defaults differ for a board's built-in button: rising edge, 25 ms debounce.
    const builtIn = this.isBuiltInButton(this.nameOf(pin));
    const edgeName = opts.edge ?? (builtIn ? 'rising' : 'both');
    const edge = typeof edgeName === 'number' ? edgeName : edges[edgeName];
    if (edge === undefined)
      throw new Error('setWatch: invalid edge ' + String(opts.edge));
    const id = this.nextWatchId++;
    this.watches.push({
      id,
      pin: this.nameOf(pin),
      edge,
      repeat: opts.repeat === true,
      debounceMs: opts.debounce ?? (builtIn ? 25 : 0),
      callback,
      lastTime: this.secondsNow(),
      reported: this.level(pin),
    });
    return id;
  }

  /** clearWatch(id), or clearWatch() for all (Espruino's two forms). */
  clearWatch(id?: unknown): void {
    if (id === undefined) {
      for (const watch of this.watches) this.cancelDebounce(watch);
      this.watches = [];
      return;
    }
    const watch = this.watches.find((candidate) => candidate.id === id);
    // Espruino throws on an unknown watch id.
    if (watch === undefined) throw new Error('Unknown Watch ' + String(id));
    this.cancelDebounce(watch);
    this.watches.splice(this.watches.indexOf(watch), 1);
  }

  watchCount(): number {
    return this.watches.length;
  }

  /** Power cut: outputs float low, watches are gone; inputs keep what the world holds. */
  powerCut(): void {
    this.clearWatch();
    this.nextWatchId = 1;
    for (const [name, mode] of this.modes) {
      if (mode === 'output') this.change(name, 0);
    }
    this.modes.clear();
  }

  private isBuiltInButton(name: string): boolean {
    return this.aliases.BTN === name || this.aliases.BTN1 === name;
  }

  private change(name: string, level: number): void {
    const value = level ? 1 : 0;
    if ((this.levels.get(name) ?? 0) === value && this.history.has(name)) return;
    this.levels.set(name, value);
    const log = this.history.get(name) ?? [];
    log.push({ atMs: this.clock.now(), level: value });
    this.history.set(name, log);
    for (const watch of [...this.watches]) if (watch.pin === name) this.edgeSeen(watch);
  }

  private edgeSeen(watch: Watch): void {
    if (watch.debounceMs <= 0) return this.settle(watch);
    // Espruino's software debounce: report only once the line has been still this long.
    this.cancelDebounce(watch);
    watch.pendingTimer = this.clock.schedule(watch.debounceMs, () => {
      watch.pendingTimer = undefined;
      this.settle(watch);
    });
  }

  private settle(watch: Watch): void {
    const state = this.levels.get(watch.pin) ?? 0;
    if (state === watch.reported) return; // bounced back: no edge
    watch.reported = state;
    // lastTime is the pin's previous change, even one this watch's edge filter skipped.
    const time = this.secondsNow();
    const event = { state: state === 1, time, lastTime: watch.lastTime };
    watch.lastTime = time;
    if (watch.edge === 1 && state !== 1) return;
    if (watch.edge === -1 && state !== 0) return;
    if (!watch.repeat) this.watches.splice(this.watches.indexOf(watch), 1);
    try {
      watch.callback(event);
    } catch (error) {
      this.onCallbackError(error);
    }
  }

  private cancelDebounce(watch: Watch): void {
    if (watch.pendingTimer !== undefined) this.clock.cancel(watch.pendingTimer);
    watch.pendingTimer = undefined;
  }
}
