// A bench whose device is a virtual post, for testing the bench path end to end without
// hardware: the simulated finger board's pins are wired to the post's GPIOs (the built
// bundle reacts to the presses, and the LED reads are the firmware's own pin levels), the
// simulated LCUS relay's contacts switch the post's power and its link, and the post's
// console and link are socat ptys. Only the instruments are simulated; the runner, the
// bench driver, the gateway and the broker are the real ones.

import { join } from 'node:path';
import { openRegistry } from '@urgence/broker';
import { esp32Post } from '@urgence/hardware';
import type { DigitalLine } from '@urgence/hardware';
import { parseRig, type Rig } from '../../rig/rigFile';
import { openPtyPair } from '../../serial/ptyPair';
import { SerialLine } from '../../serial/serialLine';
import { buildBundles, loadSimulator } from '../../virtual/firmware';
import { provisionVirtual } from '../../virtual/provision';
import { SerialBridge } from '../../virtual/serialBridge';
import { VirtualDevice } from '../../virtual/virtualDevice';
import {
  simulateFingerBoard,
  simulateLcusRelay,
  type FingerWires,
} from './simulatedInstruments';

/** The finger board's pins and what each is wired to on the post (hardware/ pin names). */
const wiring = {
  B3: esp32Post.pins.button,
  B4: esp32Post.pins.tamper,
  A5: esp32Post.pins.ledCalling,
  A6: esp32Post.pins.ledReceived,
  A7: esp32Post.pins.strobe,
} as Record<string, DigitalLine>;
const inputs = new Set([esp32Post.pins.button.pin, esp32Post.pins.tamper.pin]);
const powerChannel = 1;
const linkChannel = 3;

/** Finger pins on the post's lines: a driven pin sets the post's input, a read its level. */
class PostWires implements FingerWires {
  private readonly driven = new Map<string, number>();

  constructor(private readonly post: VirtualDevice) {}

  setMode(pin: string, mode: string): void {
    if (mode === 'output') this.driven.set(pin, this.driven.get(pin) ?? 0);
    else this.driven.delete(pin);
    this.apply(pin);
  }

  write(pin: string, level: number): void {
    this.driven.set(pin, level);
    this.apply(pin);
  }

  read(pin: string): number {
    const line = this.line(pin);
    return this.post.sim.running ? this.post.sim.level(line.pin) : 0;
  }

  /** The post's input sees the finger's level, or rests at its pull (finger let go). */
  private apply(pin: string): void {
    const line = this.line(pin);
    if (!inputs.has(line.pin)) return;
    const rest = line.activeHigh ? 0 : 1;
    this.post.sim.pins.input(line.pin, this.driven.get(pin) ?? rest);
  }

  private line(pin: string): DigitalLine {
    const line = wiring[pin];
    if (line === undefined) throw new Error(`finger pin ${pin} is wired to nothing`);
    return line;
  }
}

export interface VirtualBench {
  /** A bench rig file naming the simulated instruments' ptys. */
  rig: Rig;
  post: VirtualDevice;
  relay: ReturnType<typeof simulateLcusRelay>;
  close(): Promise<void>;
}

/**
 * Builds the post bundle, boots it, provisions it into `<dataDir>/registry.sqlite` with the
 * CLI's code (as a technician provisions a bench device) and wires the instruments to it.
 */
export async function openVirtualBench(
  dataDir: string,
  postHeartbeatMs: number,
): Promise<VirtualBench> {
  const [bundles, simulator] = await Promise.all([buildBundles(), loadSimulator()]);
  const deviceId = '0000a0f1';
  const location = { lat: 48.8606, lon: 2.3376, label: 'bench post' };
  const placeName = 'post-1';
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    const post = new VirtualDevice(
      { name: placeName, kind: 'post', deviceId, location, leds: {} },
      deviceId,
      bundles.post,
      simulator.SimDevice,
    );
    post.start();
    closers.push(async () => post.stop());
    // The bench's registry, made empty as `urgence provision --create-registry` would.
    const registryPath = join(dataDir, 'registry.sqlite');
    openRegistry(registryPath).close();
    await provisionVirtual(post, simulator, {
      registryPath,
      timings: { heartbeatMs: postHeartbeatMs },
    });

    const link = await SerialBridge.attach(post);
    closers.push(() => link.close());
    const console = await simulator.attachPty(
      simulator.consoleEndpoint(new simulator.SimConsole(post.sim)),
    );
    closers.push(() => console.close());
    const instruments = async () => {
      const pair = await openPtyPair();
      const far = await SerialLine.open(pair.b, 9600);
      closers.push(
        () => pair.close(),
        () => far.close(),
      );
      return { path: pair.a, far };
    };
    const finger = await instruments();
    simulateFingerBoard(finger.far, new PostWires(post));
    const relayPty = await instruments();
    const relay = simulateLcusRelay(relayPty.far, (channel, closed) => {
      if (channel === powerChannel && closed !== post.powered) {
        void (closed ? post.powerRestore() : post.powerCut());
      }
      if (channel === linkChannel) void (closed ? post.linkRestore() : post.linkCut());
    });

    const line = (pin: string) => ({
      finger: 'pico',
      pin,
      activeHigh: wiring[pin]!.activeHigh,
    });
    const rig = parseRig({
      name: 'virtual-bench',
      driver: 'bench',
      fingers: { pico: { port: finger.path } },
      relays: { lcus: { port: relayPty.path, protocol: 'lcus', channels: 4 } },
      places: {
        [placeName]: {
          kind: 'post',
          deviceId,
          location,
          console: { port: console.path },
          link: { port: link.gatewayEnd },
          power: { relay: 'lcus', channel: powerChannel },
          linkRelay: { relay: 'lcus', channel: linkChannel },
          button: line('B3'),
          tamper: line('B4'),
          leds: { calling: line('A5'), received: line('A6'), strobe: line('A7') },
        },
      },
    });
    return { rig, post, relay, close };
  } catch (error) {
    await close();
    throw error;
  }
}
