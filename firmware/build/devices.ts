// The devices the firmware build produces, their entry points and their size budgets.
// Budgets come from issue 3: Espruino stores the bundle as source text in flash, so the
// byte count of the emitted file is what the device pays (gzip would not help).

import { fileURLToPath } from 'node:url';

const firmwareRoot = fileURLToPath(new URL('..', import.meta.url));

export interface DeviceBuild {
  /** `post` or `wearable`: names the bundle file `dist/<name>.js`. */
  name: string;
  /** TypeScript entry point, absolute path. */
  entry: string;
  /** Largest accepted bundle, in bytes. */
  budgetBytes: number;
}

export const firmwareDir = firmwareRoot;
export const distDir = fileURLToPath(new URL('../dist/', import.meta.url));

export const devices: DeviceBuild[] = [
  // ESP32 post: 16 KB leaves most of Espruino's ESP32 variable store for the alarm journal.
  { name: 'post', entry: firmwareRoot + 'src/post/main.ts', budgetBytes: 16 * 1024 },
  // Puck.js: ~2,630 variables and 40 KB of flash shared with code (DESIGN.md), hence 8 KB.
  {
    name: 'wearable',
    entry: firmwareRoot + 'src/wearable/main.ts',
    budgetBytes: 8 * 1024,
  },
];

export function fixtureDevice(name: string, budgetBytes: number): DeviceBuild {
  return { name, entry: firmwareRoot + 'build/fixtures/' + name + '.ts', budgetBytes };
}
