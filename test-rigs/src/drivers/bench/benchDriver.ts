// The bench driver: real boards on a bench, reached through the rig file's wiring. Consoles,
// finger boards and relays are serial devices opened with @serialport/bindings-cpp.

import type { FingerLine, Place, Rig, SerialRef } from '../../rig/rigFile';
import {
  LineSplitter,
  resolvePort,
  SerialLine,
  type PortLister,
} from '../../serial/serialLine';
import { NotWiredError, type DeviceUnderTest, type Outputs } from '../device';
import { FingerBoard } from './fingerBoard';
import { LcusRelay } from './relay';

export interface BenchInstruments {
  fingers: Map<string, FingerBoard>;
  relays: Map<string, LcusRelay>;
  lines: SerialLine[];
}

export interface BenchDevices {
  devices: DeviceUnderTest[];
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function openBench(rig: Rig, list?: PortLister): Promise<BenchDevices> {
  const lines: SerialLine[] = [];
  const open = async (ref: SerialRef) => {
    const line = await SerialLine.open(await resolvePort(ref, list), ref.baud);
    lines.push(line);
    return line;
  };
  try {
    const instruments: BenchInstruments = {
      fingers: new Map(),
      relays: new Map(),
      lines,
    };
    for (const finger of Object.values(rig.fingers)) {
      const board = new FingerBoard(finger.name, await open(finger.serial));
      await board.start();
      instruments.fingers.set(finger.name, board);
    }
    for (const relay of Object.values(rig.relays)) {
      instruments.relays.set(
        relay.name,
        new LcusRelay(relay.name, await open(relay.serial), relay.channels),
      );
    }
    const devices: BenchDevice[] = [];
    for (const place of rig.places) {
      const console = place.console === undefined ? undefined : await open(place.console);
      devices.push(new BenchDevice(place, instruments, console));
    }
    // An LCUS board wakes with every contact open (devices unpowered) and cannot be asked
    // its state: each wired channel is closed now, so `powered` starts out true.
    for (const device of devices) {
      if (device.place.power !== undefined) await device.powerRestore();
      if (device.place.linkRelay !== undefined) await device.linkRestore();
    }
    return { devices, close: () => closeAll(lines) };
  } catch (error) {
    await closeAll(lines);
    throw error;
  }
}

async function closeAll(lines: SerialLine[]): Promise<void> {
  await Promise.all(lines.map((line) => line.close().catch(() => undefined)));
}

export class BenchDevice implements DeviceUnderTest {
  readonly deviceId: string;
  private poweredNow = true;
  private readonly printed: string[] = [];

  constructor(
    readonly place: Place,
    private readonly instruments: BenchInstruments,
    console: SerialLine | undefined,
  ) {
    if (place.deviceId === undefined) {
      throw new NotWiredError(
        place.name,
        'run on a bench',
        'give its deviceId in the rig file',
      );
    }
    this.deviceId = place.deviceId;
    const splitter = new LineSplitter((line) => this.printed.push(line));
    console?.onData((bytes) => splitter.push(bytes));
  }

  async press(): Promise<void> {
    const button = this.wired(this.place.button, 'press its button', 'wire "button"');
    await this.finger(button).drive(button.pin, button.activeHigh);
  }

  async release(): Promise<void> {
    const button = this.wired(this.place.button, 'release its button', 'wire "button"');
    await this.finger(button).float(button.pin);
  }

  async hold(ms: number): Promise<void> {
    await this.press();
    await sleep(ms);
    await this.release();
  }

  async outputs(): Promise<Outputs> {
    const outputs: Outputs = {};
    // One round trip per finger board, not per line: LED patterns blink.
    const byFinger = new Map<string, [string, FingerLine][]>();
    for (const [name, line] of Object.entries(this.place.leds)) {
      if (line === undefined) continue;
      byFinger.set(line.finger, [...(byFinger.get(line.finger) ?? []), [name, line]]);
    }
    for (const [finger, senses] of byFinger) {
      const levels = await this.finger(senses[0]![1]).read(
        senses.map(([, line]) => line.pin),
      );
      senses.forEach(([name, line], index) => {
        if (finger !== undefined) outputs[name] = levels[index] === line.activeHigh;
      });
    }
    return outputs;
  }

  async setTamper(open: boolean): Promise<void> {
    const tamper = this.wired(this.place.tamper, 'open its door', 'wire "tamper"');
    await this.finger(tamper).drive(tamper.pin, open === tamper.activeHigh);
  }

  /**
   * What the relay was last told (it does not answer). A place without a power relay is
   * always powered, so the runner never tries to restore what it cannot cut.
   */
  get powered(): boolean {
    return this.poweredNow;
  }

  async powerCut(): Promise<void> {
    // Marked off before the command: a write that fails half-way may still have opened
    // the contact, and the runner's recovery then closes it again.
    if (this.place.power !== undefined) this.poweredNow = false;
    await this.switchRelay(this.place.power, false, 'cut its power', 'wire "power"');
  }

  async powerRestore(): Promise<void> {
    await this.switchRelay(this.place.power, true, 'power up', 'wire "power"');
    this.poweredNow = true;
  }

  linkCut = () =>
    this.switchRelay(this.place.linkRelay, false, 'cut its link', 'wire "linkRelay"');
  linkRestore = () =>
    this.switchRelay(this.place.linkRelay, true, 'restore its link', 'wire "linkRelay"');

  consoleLines(): string[] {
    return [...this.printed];
  }

  elapse(ms: number): Promise<void> {
    return sleep(ms);
  }

  private async switchRelay(
    channel: Place['power'],
    closed: boolean,
    what: string,
    how: string,
  ): Promise<void> {
    const wired = this.wired(channel, what, how);
    const relay = this.instruments.relays.get(wired.relay);
    if (relay === undefined) throw new NotWiredError(this.place.name, what, how);
    await relay.set(wired.channel, closed);
  }

  private finger(line: FingerLine): FingerBoard {
    const board = this.instruments.fingers.get(line.finger);
    if (board === undefined) {
      throw new NotWiredError(this.place.name, 'use a finger', `declare ${line.finger}`);
    }
    return board;
  }

  private wired<T>(value: T | undefined, what: string, how: string): T {
    if (value === undefined) throw new NotWiredError(this.place.name, what, how);
    return value;
  }
}
