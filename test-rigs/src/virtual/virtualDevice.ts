// A virtual device: the firmware simulator running the built bundle, with the handles a
// bench has (button, LEDs, tamper, power, link). Its fake clock follows real time through
// a pacer, so the gateway and broker see it live, and elapse() jumps it ahead for free.

import { esp32Post, puckjs } from '@urgence/hardware';
import type { DeviceUnderTest, Outputs } from '../drivers/device';
import type { Place } from '../rig/rigFile';
import type { SimDeviceLike, SimulatorModule } from './firmware';

interface Line {
  pin: string;
  activeHigh: boolean;
}

/** Outputs each kind shows, from the board definitions (hardware/ is the one source). */
const boards = {
  post: {
    button: esp32Post.pins.button,
    outputs: {
      calling: esp32Post.pins.ledCalling,
      received: esp32Post.pins.ledReceived,
      strobe: esp32Post.pins.strobe,
    } as Record<string, Line>,
    uart: esp32Post.gatewayUart.port,
    aliases: {} as Record<string, string>,
    storageBytes: 200 * 1024,
  },
  wearable: {
    button: puckjs.pins.button,
    outputs: {
      red: puckjs.pins.ledRed,
      green: puckjs.pins.ledGreen,
      blue: puckjs.pins.ledBlue,
    } as Record<string, Line>,
    uart: undefined,
    // Espruino's names on the Puck.js (espruino.com/Puck.js reference).
    aliases: { BTN: 'D0', BTN1: 'D0', LED1: 'D5', LED2: 'D4', LED3: 'D3' },
    storageBytes: 40 * 1024,
  },
};

/** Pacer step: small enough for 100 ms advert intervals and 250 ms LED ticks. */
const paceMs = 20;

export class VirtualDevice implements DeviceUnderTest {
  readonly sim: SimDeviceLike;
  linkUp = true;
  private lastPace = Date.now();
  private pacer: NodeJS.Timeout | undefined;
  private readonly board;

  constructor(
    readonly place: Place,
    readonly deviceId: string,
    bundle: string,
    SimDevice: SimulatorModule['SimDevice'],
  ) {
    this.board = boards[place.kind];
    this.sim = new SimDevice({
      source: bundle,
      storageBytes: this.board.storageBytes,
      aliases: this.board.aliases,
      button: { pin: this.board.button.pin, activeHigh: this.board.button.activeHigh },
      uarts: ['USB', ...(this.board.uart === undefined ? [] : [this.board.uart])],
    });
    this.restInputs();
  }

  get powered(): boolean {
    return this.sim.running;
  }

  /** The post's UART towards the gateway (bridged to a pty), or undefined for a wearable. */
  get linkUart() {
    return this.board.uart === undefined ? undefined : this.sim.uart(this.board.uart);
  }

  /** Boots the firmware with the wall clock set, and starts following real time. */
  start(): void {
    this.sim.setWallClock(Date.now() / 1000);
    this.sim.powerOn();
    this.lastPace = Date.now();
    this.pacer ??= setInterval(() => this.pace(), paceMs);
  }

  stop(): void {
    clearInterval(this.pacer);
    this.pacer = undefined;
    if (this.sim.running) this.sim.powerCut();
  }

  async press(): Promise<void> {
    this.sim.press();
  }

  async release(): Promise<void> {
    this.sim.release();
  }

  async hold(ms: number): Promise<void> {
    this.sim.press();
    this.sim.advance(ms);
    this.sim.release();
  }

  async outputs(): Promise<Outputs> {
    const outputs: Outputs = {};
    for (const [name, line] of Object.entries(this.board.outputs)) {
      outputs[name] = this.sim.level(line.pin) === (line.activeHigh ? 1 : 0);
    }
    return outputs;
  }

  async setTamper(open: boolean): Promise<void> {
    if (this.place.kind !== 'post')
      throw new Error(`${this.place.name} has no door switch`);
    const tamper = esp32Post.pins.tamper;
    this.sim.pins.input(tamper.pin, open === tamper.activeHigh ? 1 : 0);
  }

  async powerCut(): Promise<void> {
    this.sim.powerCut();
  }

  async powerRestore(): Promise<void> {
    // The post's RTC is kept by its backup supply; the simulator's restarts from zero on a
    // power cut, so the wall clock is set again as the gateway's time sync would.
    this.sim.setWallClock(Date.now() / 1000);
    this.restInputs();
    this.sim.powerOn();
  }

  async linkCut(): Promise<void> {
    this.linkUp = false;
  }

  async linkRestore(): Promise<void> {
    this.linkUp = true;
  }

  consoleLines(): string[] {
    return this.sim.output.split(/\r?\n/).filter((line) => line.length > 0);
  }

  async elapse(ms: number): Promise<void> {
    this.sim.advance(ms);
  }

  private pace(): void {
    const now = Date.now();
    const elapsed = now - this.lastPace;
    this.lastPace = now;
    if (elapsed > 0) this.sim.advance(elapsed);
  }

  /** Button released, door shut, mains present: the levels of a healthy post at rest. */
  private restInputs(): void {
    this.sim.release();
    if (this.place.kind !== 'post') return;
    const { tamper, mainsOk } = esp32Post.pins;
    this.sim.pins.input(tamper.pin, tamper.activeHigh ? 0 : 1);
    this.sim.pins.input(mainsOk.pin, mainsOk.activeHigh ? 1 : 0);
    // 13.2 V: a lead-acid battery on float charge, through the board's divider.
    const battery = esp32Post.battery;
    this.sim.pins.setAnalog(
      battery.pin,
      13.2 / battery.dividerRatio / battery.fullScaleVolts,
    );
  }
}
