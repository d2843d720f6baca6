// The global scope an Espruino bundle sees in the simulator: timers, time, pins, watches,
// E, NRF, Puck, serial ports, console and require(), wired to the device's parts.

import { crc32 } from 'node:zlib';
import { bytesOf, type AdvertOptions, type Radio } from './radio';
import { cryptoModule, storageModule, type Realm } from './modules';
import type { FakeClock } from './clock';
import type { PinBank } from './pins';
import type { SimUart } from './uart';
import type { StorageJournal } from './storage';

/** What the globals act on; SimDevice provides it. */
export interface DeviceParts {
  clock: FakeClock;
  pins: PinBank;
  radio: Radio;
  uarts: Map<string, SimUart>;
  journal: StorageJournal;
  /** getTime(): device seconds (RTC). */
  seconds(): number;
  setSeconds(unixSeconds: number): void;
  battery: { percent: number; volts: number };
  print(text: string): void;
  uncaught(error: unknown): void;
  enableWatchdog(timeoutSeconds: number, manual: boolean): void;
  kickWatchdog(): void;
  /** Deferred until the running code returns, as on the device. */
  restart(mode: 'reset' | 'load' | 'reboot'): void;
  pinNames: string[];
  aliases: Record<string, string>;
  /** ESP32: digitalPulse through RMT (SimOptions.rmtPulses). */
  rmtPulses: boolean;
}

/** RMT duration field of Espruino's ESP32 port: 15 bits of 1 us ticks. */
const RMT_TICKS = 0x8000;

export interface BootHooks {
  init: (() => void)[];
  jsTimers: Set<number>;
}

export function espruinoGlobals(parts: DeviceParts, realm: Realm, hooks: BootHooks) {
  const guard = (run: unknown, args: unknown[]) => (): void => {
    try {
      (run as (...a: unknown[]) => void)(...args);
    } catch (error) {
      parts.uncaught(error);
    }
  };
  const timer = (run: unknown, ms: unknown, args: unknown[], repeat: boolean): number => {
    if (typeof run !== 'function') throw new Error('Timer callback must be a function');
    const delay = Number(ms ?? 0);
    const id = parts.clock.schedule(delay, guard(run, args), repeat ? delay : undefined);
    hooks.jsTimers.add(id);
    return id;
  };
  const clear = (id?: unknown): void => {
    // Espruino: clearTimeout()/clearInterval() with no argument clears every timer.
    const ids = id === undefined ? [...hooks.jsTimers] : [id as number];
    for (const each of ids) {
      parts.clock.cancel(each);
      hooks.jsTimers.delete(each);
    }
  };
  const printArgs = (...args: unknown[]): void =>
    parts.print(
      args.map((arg) => (typeof arg === 'string' ? arg : format(arg))).join(' ') + '\n',
    );

  const pinObjects: Record<string, object> = {};
  const pinObject = (name: string): object => ({
    set: () => parts.pins.drive(name, 1),
    reset: () => parts.pins.drive(name, 0),
    write: (value: unknown) => parts.pins.drive(name, value ? 1 : 0),
    read: () => parts.pins.level(name) === 1,
    toggle: () => parts.pins.drive(name, parts.pins.level(name) ^ 1),
    mode: (mode: string) => parts.pins.setMode(name, mode),
    getMode: () => parts.pins.mode(name),
    toString: () => name,
  });
  for (const name of parts.pinNames) pinObjects[name] = pinObject(name);
  for (const [alias, name] of Object.entries(parts.aliases))
    pinObjects[alias] = pinObjects[name] ?? pinObject(name);

  const eventListeners: Record<string, unknown[]> = {};
  const E = {
    enableWatchdog: (timeout: number, isAuto?: boolean) =>
      // isAuto undefined or true: Espruino kicks it from its idle loop; false: only kickWatchdog().
      parts.enableWatchdog(timeout, isAuto === false),
    kickWatchdog: () => parts.kickWatchdog(),
    getBattery: () => parts.battery.percent,
    CRC32: (data: unknown) => crc32(bytesOf(data)),
    reboot: () => parts.restart('reboot'),
    toUint8Array: (...items: unknown[]) => {
      return realm.uint8Array(items.flatMap((item) => [...bytesOf(item)]));
    },
    toString: (...items: unknown[]) =>
      String.fromCharCode(...items.flatMap((item) => [...bytesOf(item)])),
    toArrayBuffer: (text: string) => realm.arrayBuffer(bytesOf(text)),
    on(event: string, listener: () => void) {
      if (event === 'init') hooks.init.push(listener);
      (eventListeners[event] ??= []).push(listener);
    },
    getTemperature: () => 21,
  };

  const NRF = {
    setAdvertising: (data: unknown, options?: AdvertOptions) =>
      parts.radio.advertise(data, options),
    getAdvertisingData: (data: unknown, options?: AdvertOptions) =>
      realm.array([...parts.radio.payload(data, options)]),
    setAddress: (address: string) => parts.radio.setAddress(address),
    getAddress: () => parts.radio.address,
    setScan: (callback?: unknown, options?: object) =>
      parts.radio.setScan(callback, options),
    setTxPower: (level: number) => {
      parts.radio.txPower = level;
    },
    on: (event: string, listener: () => void) => parts.radio.on(event, listener),
    sleep: () => parts.radio.sleep(),
    wake: () => parts.radio.wake(),
    restart: () => {
      parts.radio.restarts++;
    },
    getBattery: () => parts.battery.volts,
  };

  const modules: Record<string, () => object> = {
    Storage: () => storageModule(parts.journal, realm),
    crypto: () => cryptoModule(realm),
  };
  const loaded: Record<string, object> = {};

  return {
    ...pinObjects,
    ...Object.fromEntries([...parts.uarts].map(([name, uart]) => [name, uart])),
    setTimeout: (run: unknown, ms?: unknown, ...args: unknown[]) =>
      timer(run, ms, args, false),
    setInterval: (run: unknown, ms?: unknown, ...args: unknown[]) =>
      timer(run, ms, args, true),
    clearTimeout: clear,
    clearInterval: clear,
    getTime: () => parts.seconds(),
    setTime: (unixSeconds: number) => parts.setSeconds(unixSeconds),
    digitalWrite: (pin: unknown, value: unknown) => parts.pins.drive(pin, value ? 1 : 0),
    digitalRead: (pin: unknown) => parts.pins.level(pin),
    analogRead: (pin: unknown) => parts.pins.analogValue(pin),
    analogWrite: (pin: unknown, value: number) =>
      parts.pins.drive(pin, value > 0 ? 1 : 0),
    digitalPulse: (pin: unknown, value: unknown, ms: number) => {
      const lasts = parts.rmtPulses ? (Math.round(ms * 1000) % RMT_TICKS) / 1000 : ms;
      parts.pins.drive(pin, value ? 1 : 0);
      parts.clock.schedule(lasts, () => parts.pins.drive(pin, value ? 0 : 1));
    },
    pinMode: (pin: unknown, mode: string) => parts.pins.setMode(pin, mode),
    setWatch: (run: never, pin: unknown, options?: boolean | object) =>
      parts.pins.watch(run, pin, options),
    clearWatch: (id?: unknown) => parts.pins.clearWatch(id),
    print: printArgs,
    // Espruino's base64 works on binary strings (one char per byte, codes 0-255), which is
    // what latin1 is in Node; atob skips characters outside the alphabet, as Buffer does.
    btoa: (binary: unknown) => Buffer.from(String(binary), 'latin1').toString('base64'),
    atob: (base64: unknown) => Buffer.from(String(base64), 'base64').toString('latin1'),
    reset: () => parts.restart('reset'),
    load: () => parts.restart('load'),
    console: { log: printArgs, warn: printArgs, error: printArgs, info: printArgs },
    require(name: string): object {
      const make = modules[name];
      // Espruino: 'Module X not found' for anything not built in or uploaded.
      if (make === undefined) throw new Error(`Module ${name} not found`);
      return (loaded[name] ??= make());
    },
    E,
    NRF,
    Puck: { getBatteryPercentage: () => parts.battery.percent },
    process: {
      env: { VERSION: '2v29', BOARD: 'SIMULATED' },
      memory: () => ({ free: 2000, usage: 630, total: 2630 }),
    },
  };
}

/** console.log of a non-string, close to Espruino's output (JSON-like). */
export function format(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'function () { ... }';
  if (ArrayBuffer.isView(value))
    return `new Uint8Array([${[...bytesOf(value)].join(', ')}])`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
