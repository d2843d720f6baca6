// What the CLI asks of an urgence device over its console: its info line, its config file
// (written and verified), a restart that waits for the firmware to come back, and a wipe.

import { CliError, ExitCode } from '../exit-codes';
import { DeviceException, type EspruinoConsole } from './espruino-console';
import { uploadFile, verifyStoredFile } from './storage-upload';

/** `urgence.info()`'s JSON line (CONTRACTS.md); fields other than version may be absent. */
export interface DeviceInfo {
  version: string;
  id?: string;
  kind?: string;
  battery?: number;
  mains?: boolean;
  tamper?: boolean;
  storageFree?: number;
  counter?: number;
  link?: string;
  /** The post's last fault reports, oldest first: "tamper", "tamper cleared", … */
  lastFaults?: unknown[];
  /** Frames the post's link layer dropped (bad CRC or framing) since it started. */
  badFrames?: number;
  [field: string]: unknown;
}

/** The firmware reads its identity and key from this Storage file (CONTRACTS.md). */
export const configFile = 'urgence.json';

export async function readInfo(
  device: EspruinoConsole,
  timeoutMs?: number,
): Promise<DeviceInfo> {
  const evaluation = await device.evaluate('urgence.info()', timeoutMs).catch((error) => {
    if (error instanceof DeviceException) {
      throw new CliError(
        ExitCode.VerifyFailed,
        'the device answers but runs no urgence firmware (urgence.info() is missing)',
        'flash it: `urgence flash PORT --kind post|wearable`',
      );
    }
    throw error;
  });
  // info() prints its line (the contract); accept a returned object as well.
  const printedJson = evaluation.printed.filter((line) => line.startsWith('{')).at(-1);
  const info: unknown =
    typeof evaluation.value === 'object' && evaluation.value !== null
      ? evaluation.value
      : printedJson === undefined
        ? undefined
        : safeParse(printedJson);
  if (!isInfo(info)) {
    throw new CliError(
      ExitCode.VerifyFailed,
      'urgence.info() did not print a JSON line with a version',
      'the firmware may be damaged: flash it again with `urgence flash`',
      { printed: evaluation.printed },
    );
  }
  return info;
}

/**
 * Restarts the JavaScript (Espruino's load(): re-runs `.bootcde` as after power-up) and
 * waits until the firmware answers info() again.
 */
export async function restartAndWait(
  device: EspruinoConsole,
  bootTimeoutMs = 15_000,
): Promise<DeviceInfo> {
  await device.send('load()');
  const deadline = Date.now() + bootTimeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      await device.wake();
      return await readInfo(device, 2000);
    } catch (error) {
      lastError = error;
    }
  }
  if (lastError instanceof CliError && lastError.exitCode === ExitCode.VerifyFailed) {
    throw lastError;
  }
  throw new CliError(
    ExitCode.DeviceSilent,
    `the device did not come back within ${bootTimeoutMs / 1000} s after restarting`,
    'power-cycle it and run `urgence diagnose PORT`; if it stays silent, flash it again',
  );
}

/** What provisioning writes; the key is 64 hex digits (CONTRACTS.md). */
export interface DeviceConfig {
  id: string;
  kind: 'post' | 'wearable';
  key: string;
  [override: string]: unknown;
}

/**
 * Writes the config file and checks it by CRC. We store JSON.stringify's exact bytes
 * through Storage.write rather than Storage.writeJSON: since 2v20 writeJSON stores a compact
 * non-standard form whose bytes we cannot predict, so its CRC could not be checked here.
 * The firmware's readJSON reads both forms.
 */
export async function writeConfig(device: EspruinoConsole, config: DeviceConfig) {
  const bytes = Buffer.from(JSON.stringify(config), 'utf8');
  await uploadFile(device, configFile, bytes);
  await verifyStoredFile(device, configFile, bytes);
}

/** Identity the device holds in its config file (never the key), or undefined. */
export async function readConfigIdentity(
  device: EspruinoConsole,
): Promise<{ id: string; kind: string } | undefined> {
  const { value } = await device.evaluate(
    `(function(c){return c?{id:c.id,kind:c.kind}:null})` +
      `(require("Storage").readJSON(${JSON.stringify(configFile)},true))`,
  );
  if (typeof value !== 'object' || value === null) return undefined;
  const identity = value as { id?: unknown; kind?: unknown };
  return { id: String(identity.id), kind: String(identity.kind) };
}

/**
 * Erases the config (identity and key), then compacts Storage: Storage is a journal, so an
 * erased file's bytes stay in flash as trash until compaction. The counter file is kept on
 * purpose: if the id is ever provisioned again, its counters must not restart below what
 * the ingest has already seen (they would be refused as replays).
 */
export async function wipeConfig(device: EspruinoConsole): Promise<void> {
  const name = JSON.stringify(configFile);
  await device.evaluate(`require("Storage").erase(${name})`);
  await device.evaluate('require("Storage").compact()', 60_000);
  const { value } = await device.evaluate(`require("Storage").read(${name})===undefined`);
  if (value !== true) {
    throw new CliError(
      ExitCode.VerifyFailed,
      'the config file is still on the device after erasing it',
      'retry; if it persists, erase the flash with esptool and reflash',
    );
  }
}

function isInfo(value: unknown): value is DeviceInfo {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { version?: unknown }).version === 'string'
  );
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
