// The firmware the virtual devices run: the bundles firmware/build emits (built afresh, so
// a rig never tests stale code) and the firmware simulator that runs them.
// @urgence/firmware exports only its defaults, so the simulator is loaded from the
// package's folder and typed here by the part of its API the rigs use.

import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { DeviceKind } from '../rig/rigFile';

const firmwareEntry = import.meta.resolve('@urgence/firmware');
const firmwareDir = fileURLToPath(new URL('..', firmwareEntry));

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

/**
 * Builds both bundles with the firmware's own build. A build that writes the bundles but
 * fails its size budget or Espruino check still gives bundles the simulator runs: those
 * failures belong to the firmware's tests, so here they are only passed to `warn`.
 */
export async function buildBundles(
  warn: (text: string) => void = () => {},
): Promise<Bundles> {
  const startedAt = Date.now();
  try {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'build/main.ts'], {
      cwd: firmwareDir,
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    warn(`the firmware build reported problems:\n${stdout}${stderr}`);
  }
  const read = (kind: DeviceKind) => {
    const path = `${firmwareDir}dist/${kind}.js`;
    // 2 s of slack: coarse file-system timestamps.
    if (!existsSync(path) || statSync(path).mtimeMs < startedAt - 2000) {
      throw new Error(`the firmware build wrote no ${kind} bundle at ${path}`);
    }
    return readFileSync(path, 'latin1');
  };
  return { post: read('post'), wearable: read('wearable') };
}
