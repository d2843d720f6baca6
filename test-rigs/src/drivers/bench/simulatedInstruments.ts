// Simulated bench instruments on the far end of a pty, for the bench driver's tests: an
// Espruino console (echo, prompt, `=result` lines) evaluating the finger board's one-liners
// against a model of the wires, and an LCUS relay decoding its 4-byte commands.

import { runInNewContext } from 'node:vm';
import { LineSplitter, type SerialLine } from '../../serial/serialLine';

/** What the finger board's pins are wired to, as its console's pin functions see it. */
export interface FingerWires {
  setMode(pin: string, mode: string): void;
  write(pin: string, level: number): void;
  read(pin: string): number;
}

/** A model of the wires between the finger board's pins and a device: who drives what. */
export class Wires implements FingerWires {
  readonly fingerModes = new Map<string, string>();
  readonly fingerLevels = new Map<string, number>();
  /** Levels the device drives (its LED outputs), by finger pin. */
  readonly deviceLevels = new Map<string, number>();
  /** Level a line rests at when nobody drives it (the device's pull resistor). */
  readonly pulls = new Map<string, number>();

  /** What the device sees on a line the finger is wired to. */
  levelAtDevice(pin: string): number {
    if (this.fingerModes.get(pin) === 'output') return this.fingerLevels.get(pin) ?? 0;
    return this.pulls.get(pin) ?? 0;
  }

  setMode(pin: string, mode: string): void {
    this.fingerModes.set(pin, mode);
  }

  write(pin: string, level: number): void {
    this.fingerLevels.set(pin, level);
  }

  read(pin: string): number {
    return this.fingerModes.get(pin) === 'output'
      ? (this.fingerLevels.get(pin) ?? 0)
      : (this.deviceLevels.get(pin) ?? this.pulls.get(pin) ?? 0);
  }
}

export function simulateFingerBoard(line: SerialLine, wires: FingerWires): void {
  let echo = true;
  const print = (text: unknown) => void line.write(`${String(text)}\r\n`);
  const context = {
    JSON,
    print,
    echo: (on: unknown) => {
      echo = Boolean(on);
    },
    pinMode: (pin: string, mode: string) => wires.setMode(pin, mode),
    digitalWrite: (pin: string, level: number) => wires.write(pin, level),
    digitalRead: (pin: string) => wires.read(pin),
  };
  // Espruino pin names are globals whose value is the pin; strings stand in for them here.
  const pins = new Proxy(context, {
    has: () => true,
    get: (target, name) =>
      name in target ? target[name as keyof typeof target] : String(name),
  });
  const splitter = new LineSplitter((text) => {
    const quiet = text.startsWith('\x10');
    const source = quiet ? text.slice(1) : text;
    if (echo && !quiet) void line.write(`${source}\r\n`);
    let result: unknown;
    try {
      result = runInNewContext(`with (pins) { ${source} }`, { pins });
    } catch (error) {
      print(`Uncaught ${(error as Error).message}`);
      return;
    }
    if (echo && !quiet) print(`=${JSON.stringify(result)}\r\n>`);
  });
  line.onData((bytes) => splitter.push(bytes));
}

/**
 * Records relay commands; a frame with a wrong checksum is recorded as rejected.
 * `onSwitch` sees each accepted command, as the load on that contact would.
 */
export function simulateLcusRelay(
  line: SerialLine,
  onSwitch?: (channel: number, closed: boolean) => void,
) {
  const state = { contacts: new Map<number, boolean>(), rejected: 0 };
  let pending: number[] = [];
  line.onData((bytes) => {
    pending.push(...bytes);
    while (pending.length >= 4) {
      const [head, channel, on, sum] = pending as [number, number, number, number];
      if (head !== 0xa0) {
        pending = pending.slice(1);
        continue;
      }
      if (((head + channel + on) & 0xff) === sum) {
        state.contacts.set(channel, on === 1);
        onSwitch?.(channel, on === 1);
      } else state.rejected++;
      pending = pending.slice(4);
    }
  });
  return state;
}
