// A simulated Espruino device running an EMITTED bundle in a Node vm context with the
// interpreter's globals and without the built-ins it lacks. Test handles: time, button,
// pins, serial ports, radio, Storage, power cut / power on, watchdog resets, console.

import vm from 'node:vm';
import { FakeClock } from './clock';
import { espruinoGlobals, type BootHooks, type DeviceParts } from './globals';
import type { Realm } from './modules';
import { absentBuiltins, dateScript, takeRealm } from './realm';
import { PinBank } from './pins';
import { Radio } from './radio';
import { StorageJournal } from './storage';
import { SimUart } from './uart';

export interface SimOptions {
  /** Bundle source to run at power-on; default: Storage `.bootrst`, else `.bootcde`. */
  source?: string;
  /** Storage capacity in bytes (Puck.js: ~40 KB shared with code; ESP32 more). */
  storageBytes?: number;
  /** Espruino pin aliases of the board, e.g. { BTN: 'D0', LED1: 'D5' }. */
  aliases?: Record<string, string>;
  /** The button the press()/release() handles act on. */
  button?: { pin: string; activeHigh: boolean };
  /** Serial objects the board has. */
  uarts?: string[];
  /** Highest pin number (D0…Dn). */
  maxPin?: number;
  /** Clock origin, ms. */
  startMs?: number;
  /** Advertise Espruino's named, connectable advert from power-on, as a Puck.js does. */
  bootAdvert?: boolean;
  /**
   * digitalPulse as Espruino's ESP32 port does it: through the RMT peripheral at 1 us a
   * tick into a 15-bit duration field, so a pulse over 32.767 ms comes out as its length
   * modulo 32.768 ms (targets/esp32/jshardwarePulse.c).
   */
  rmtPulses?: boolean;
}

/** What E.enableWatchdog() set up, for tests: period, manual kicking, kicks so far. */
export interface WatchdogState {
  timeoutMs: number;
  manual: boolean;
  kicks: number;
}

export { absentBuiltins };

/** reset(): empty interpreter; load(): rerun .bootcde; reboot/watchdog: hardware reset. */
export type RestartMode = 'reset' | 'load' | 'reboot';
type RestartReason = RestartMode | 'watchdog';

export class SimDevice {
  readonly clock: FakeClock;
  readonly journal: StorageJournal;
  readonly pins: PinBank;
  readonly radio: Radio;
  readonly uarts = new Map<string, SimUart>();
  readonly battery = { percent: 100, volts: 3.0 };
  /** Everything printed to the console since power-on (all boots). */
  output = '';
  readonly uncaught: unknown[] = [];
  readonly resets: { atMs: number; reason: RestartReason }[] = [];
  private consoleListeners: ((text: string) => void)[] = [];
  private pendingRestart: { mode: RestartMode; timer: number } | undefined;
  private context: vm.Context | undefined;
  private realm: Realm | undefined;
  private hooks: BootHooks = { init: [], jsTimers: new Set() };
  private rtcOffsetMs = 0;
  private watchdog: (WatchdogState & { timer: number | undefined }) | undefined;
  private readonly options: SimOptions;
  private bootSource: string | undefined;

  constructor(options: SimOptions = {}) {
    this.options = options;
    this.clock = new FakeClock(options.startMs ?? 0);
    this.journal = new StorageJournal(options.storageBytes ?? 40 * 1024);
    const report = (error: unknown): void => this.reportUncaught(error);
    this.pins = new PinBank(
      this.clock,
      () => this.seconds(),
      options.aliases ?? {},
      report,
    );
    this.radio = new Radio(
      this.clock,
      (bytes) => this.realmOf().arrayBuffer(Uint8Array.from(bytes)),
      report,
    );
    for (const name of options.uarts ?? ['Serial1', 'Serial2', 'USB']) {
      this.uarts.set(name, new SimUart(name, report));
    }
  }

  get running(): boolean {
    return this.context !== undefined;
  }

  /**
   * Boots: runs the bundle as Espruino does at power-on, then E.on('init') handlers.
   * @param once run this source for this boot only (reset() boots an empty interpreter).
   */
  powerOn(source?: string, once = false): void {
    if (this.context !== undefined)
      throw new Error('device is already on: powerCut() first');
    // An explicit source stands in for .bootcde, so resets run it again.
    if (source !== undefined && !once) this.bootSource = source;
    const code =
      (once ? source : undefined) ??
      this.bootSource ??
      this.options.source ??
      this.bootCode();
    if (code === undefined) throw new Error('nothing to boot: no source and no .bootcde');
    const sandbox: Record<string, unknown> = {};
    const context = vm.createContext(sandbox, { name: 'espruino' });
    this.realm = takeRealm(context);
    this.hooks = { init: [], jsTimers: new Set() };
    Object.assign(sandbox, espruinoGlobals(this.parts(), this.realm, this.hooks));
    sandbox.global = sandbox;
    vm.runInContext(dateScript, context)((): number => this.seconds() * 1000);
    this.context = context;
    if (this.options.bootAdvert === true) this.radio.bootAdvert();
    this.run(code, '.bootcde');
    for (const init of this.hooks.init) this.guarded(init);
  }

  /** Drops RAM, timers, watches and the radio; Storage survives. */
  powerCut(): void {
    this.shutdown();
    this.rtcOffsetMs = -this.clock.now(); // the RTC restarts from zero
  }

  /** Evaluates code in the running device (a console line, urgence.info()). */
  evaluate(code: string): unknown {
    if (this.context === undefined) throw new Error('device is off');
    return vm.runInContext(code, this.context, { filename: 'console' });
  }

  advance(ms: number): void {
    this.clock.advance(ms);
  }

  /** Sets the wall clock (as setTime() at provisioning): getTime() and Date follow it. */
  setWallClock(unixSeconds: number): void {
    this.rtcOffsetMs = unixSeconds * 1000 - this.clock.now();
  }

  seconds(): number {
    return (this.clock.now() + this.rtcOffsetMs) / 1000;
  }

  press(): void {
    const button = this.button();
    this.pins.input(button.pin, button.activeHigh ? 1 : 0);
  }

  release(): void {
    const button = this.button();
    this.pins.input(button.pin, button.activeHigh ? 0 : 1);
  }

  /** Press, keep pressed for ms (time advances), release. */
  hold(ms: number): void {
    this.press();
    this.advance(ms);
    this.release();
  }

  uart(name: string): SimUart {
    const uart = this.uarts.get(name);
    if (uart === undefined) throw new Error(`no serial port ${name} on this board`);
    return uart;
  }

  /** Test handle: the level a pin is at (LED, strobe, vibration motor, relay). */
  level(pin: string): number {
    return this.pins.level(pin);
  }

  private button(): { pin: string; activeHigh: boolean } {
    return this.options.button ?? { pin: 'BTN', activeHigh: true };
  }

  private bootCode(): string | undefined {
    const code = this.journal.find('.bootrst') ?? this.journal.find('.bootcde');
    return code === undefined ? undefined : Buffer.from(code).toString('latin1');
  }

  private run(code: string, filename: string): void {
    try {
      vm.runInContext(code, this.context!, { filename });
    } catch (error) {
      this.reportUncaught(error);
    }
  }

  private guarded(run: () => void): void {
    try {
      run();
    } catch (error) {
      this.reportUncaught(error);
    }
  }

  private reportUncaught(error: unknown): void {
    this.uncaught.push(error);
    // Espruino prints the error and carries on with its idle loop.
    this.print('Uncaught ' + String(error) + '\n');
  }

  private shutdown(): void {
    this.pendingRestart = undefined;
    this.clock.clearAll();
    this.pins.powerCut();
    this.radio.powerCut();
    for (const uart of this.uarts.values()) uart.powerCut();
    this.watchdog = undefined;
    this.context = undefined;
    this.realm = undefined;
  }

  /** Console text the firmware prints (print, console.log, errors), as it is printed. */
  onConsole(listener: (text: string) => void): () => void {
    this.consoleListeners.push(listener);
    return () => {
      this.consoleListeners = this.consoleListeners.filter((other) => other !== listener);
    };
  }

  /**
   * Runs a restart the code asked for (E.reboot(), reset(), load()). On the device they take
   * effect once the running command returns; the console calls this after each line, and
   * the clock runs it on its next tick otherwise.
   */
  settle(): void {
    const pending = this.pendingRestart;
    if (pending === undefined) return;
    this.pendingRestart = undefined;
    this.clock.cancel(pending.timer);
    this.restart(pending.mode);
  }

  private requestRestart(mode: RestartMode): void {
    if (this.pendingRestart !== undefined) return;
    this.pendingRestart = { mode, timer: this.clock.schedule(0, () => this.settle()) };
  }

  private restart(reason: RestartReason): void {
    this.resets.push({ atMs: this.clock.now(), reason });
    this.shutdown(); // a restart keeps the RTC, unlike a power cut
    // reset() boots an empty interpreter; load(), E.reboot() and the watchdog run .bootcde.
    this.powerOn(reason === 'reset' ? '' : undefined, reason === 'reset');
  }

  private print(text: string): void {
    this.output += text;
    for (const listener of this.consoleListeners) listener(text);
  }

  private realmOf(): Realm {
    if (this.realm === undefined) throw new Error('device is off');
    return this.realm;
  }

  private parts(): DeviceParts {
    return {
      clock: this.clock,
      pins: this.pins,
      radio: this.radio,
      uarts: this.uarts,
      journal: this.journal,
      seconds: () => this.seconds(),
      setSeconds: (unixSeconds) => this.setWallClock(unixSeconds),
      battery: this.battery,
      print: (text) => this.print(text),
      uncaught: (error) => this.reportUncaught(error),
      enableWatchdog: (timeoutSeconds, manual) => {
        const timeoutMs = timeoutSeconds * 1000;
        this.watchdog = { timeoutMs, manual, kicks: 0, timer: undefined };
        if (manual) this.armWatchdog();
      },
      kickWatchdog: () => this.kickWatchdog(),
      restart: (mode) => this.requestRestart(mode),
      pinNames: Array.from(
        { length: (this.options.maxPin ?? 48) + 1 },
        (_, i) => 'D' + i,
      ),
      aliases: this.options.aliases ?? {},
      rmtPulses: this.options.rmtPulses === true,
    };
  }

  /** The watchdog of this boot (undefined until E.enableWatchdog()). */
  get watchdogState(): WatchdogState | undefined {
    const watchdog = this.watchdog;
    if (watchdog === undefined) return undefined;
    return {
      timeoutMs: watchdog.timeoutMs,
      manual: watchdog.manual,
      kicks: watchdog.kicks,
    };
  }

  private kickWatchdog(): void {
    if (this.watchdog === undefined) return;
    this.watchdog.kicks++;
    this.armWatchdog();
  }

  /** Manual mode: the board resets unless the next kick comes within the period. */
  private armWatchdog(): void {
    const watchdog = this.watchdog;
    if (watchdog === undefined || !watchdog.manual) return;
    if (watchdog.timer !== undefined) this.clock.cancel(watchdog.timer);
    watchdog.timer = this.clock.schedule(watchdog.timeoutMs, () =>
      this.restart('watchdog'),
    );
  }
}
