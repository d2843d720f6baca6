// The firmware the virtual devices run: the bundles firmware/build emits (built afresh, so
// a rig never tests stale code) and the firmware simulator that runs them.
// @urgence/firmware exports only its defaults, so the simulator is loaded from the
// package's folder and typed here by the part of its API the rigs use.

import type { DeviceKind } from '../rig/rigFile';
import { packageEntry } from '../system/packages';

const firmwareEntry = packageEntry('@urgence/firmware');

export interface SimUartLike {
  feed(bytes: Uint8Array | string): void;
  onWire(listener: (bytes: Uint8Array) => void): () => void;
}

export interface SimAdvert {
  manufacturer?: number;
  manufacturerData?: Uint8Array;
  intervalMs: number;
  address: string;
}

export interface SimDeviceLike {
  readonly running: boolean;
  output: string;
  readonly uncaught: unknown[];
  readonly pins: {
    input(pin: string, level: number): void;
    setAnalog(pin: string, value: number): void;
  };
  readonly radio: {
    current: SimAdvert | undefined;
    readonly scanning: boolean;
    deliver(result: {
      manufacturer: number;
      manufacturerData: Uint8Array;
      rssi?: number;
    }): boolean;
  };
  readonly battery: { percent: number; volts: number };
  /** Storage (flash): survives power cuts; the rig saves it between `npm start` runs. */
  readonly journal: {
    names(): string[];
    find(name: string): Uint8Array | undefined;
    write(name: string, data: Uint8Array): boolean;
  };
  powerOn(source?: string): void;
  powerCut(): void;
  advance(ms: number): void;
  setWallClock(unixSeconds: number): void;
  press(): void;
  release(): void;
  level(pin: string): number;
  uart(name: string): SimUartLike;
  evaluate(code: string): unknown;
  onConsole(listener: (text: string) => void): () => void;
}

export interface SimOptionsLike {
  source?: string;
  storageBytes?: number;
  aliases?: Record<string, string>;
  button?: { pin: string; activeHigh: boolean };
  uarts?: string[];
}

export interface SimulatorModule {
  SimDevice: new (options: SimOptionsLike) => SimDeviceLike;
  /** Espruino's console REPL over bytes, as the CLI sees it on a real board. */
  SimConsole: new (device: SimDeviceLike) => object;
  consoleEndpoint(console: object): object;
  attachPty(endpoint: object): Promise<{ path: string; close(): Promise<void> }>;
}

let simulator: Promise<SimulatorModule> | undefined;

export function loadSimulator(): Promise<SimulatorModule> {
  simulator ??= import(
    new URL('../sim/index.ts', firmwareEntry).href
  ) as Promise<SimulatorModule>;
  return simulator;
}

export type Bundles = Record<DeviceKind, string>;

interface DeviceBuild {
  name: string;
}
interface BuildModules {
  bundleDevice(device: DeviceBuild): Promise<{ code: string }>;
  devices: DeviceBuild[];
}

/**
 * Bundles both devices in memory with the firmware's own bundler (firmware/build), the same
 * code `npm run build -w @urgence/firmware` writes to dist/ — but without writing there,
 * as other builds may be rewriting dist/ at the same moment. Size budgets and the Espruino
 * check are the firmware tests' verdict; the rig runs whatever the bundler emits.
 */
export async function buildBundles(): Promise<Bundles> {
  const load = (file: string) => import(new URL(`../build/${file}`, firmwareEntry).href);
  const [{ bundleDevice }, { devices }] = (await Promise.all([
    load('bundle.ts'),
    load('devices.ts'),
  ])) as [BuildModules, BuildModules];
  const bundle = async (kind: DeviceKind) => {
    const device = devices.find((candidate) => candidate.name === kind);
    if (device === undefined)
      throw new Error(`the firmware build knows no ${kind} device`);
    try {
      return (await bundleDevice(device)).code;
    } catch (error) {
      throw new Error(
        `the ${kind} firmware does not build: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  };
  return { post: await bundle('post'), wearable: await bundle('wearable') };
}
