// `urgence flash PORT --kind post|wearable`: uploads the built firmware bundle into the
// device's Storage as `.bootcde`, proves it arrived intact, restarts the device and checks
// the firmware answers with its version.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { readConfigIdentity, restartAndWait, type DeviceInfo } from '../console/device';
import type { EspruinoConsole } from '../console/espruino-console';
import { localCrc32, uploadFile, verifyStoredFile } from '../console/storage-upload';
import { CliError, ExitCode } from '../exit-codes';
import type { Output } from '../output';
import {
  addDeviceOptions,
  addExample,
  parsePositiveInt,
  runAction,
  withDevice,
  type DeviceOptions,
} from './common';
import { parseKind, type DeviceKind } from './validate';

interface FlashOptions extends DeviceOptions {
  kind: string;
  bundle?: string;
  expectVersion?: string;
  chunkSize: string;
}

/** Espruino runs this Storage file at boot. */
const bootFile = '.bootcde';
/**
 * The bundle lands here first and is copied over `.bootcde` only once its CRC matches, so
 * a cable pulled mid-upload leaves the previous firmware running, not half a new one.
 */
const stagingFile = 'urgence.new';

export function registerFlash(program: Command): void {
  const command = program
    .command('flash')
    .description(
      'upload the firmware bundle, verify it by checksum, restart, check version',
    )
    .argument(
      '<port>',
      'serial port of the device, e.g. /dev/ttyUSB0 (see `urgence ports`)',
    )
    .requiredOption('--kind <kind>', 'post or wearable')
    .option('--bundle <file>', 'bundle to upload (default: firmware/dist/<kind>.js)')
    .option(
      '--expect-version <version>',
      'fail unless the device then reports this version',
    )
    .option('--chunk-size <bytes>', 'bytes per console line', '512');
  addDeviceOptions(command);
  addExample(command, 'urgence flash /dev/ttyUSB0 --kind post');
  command.action((port: string, options: FlashOptions) =>
    runAction(options, (output) => flash(port, options, output)),
  );
}

export function defaultBundlePath(kind: DeviceKind): string {
  // The firmware package's entry is firmware/src/index.ts; its build writes firmware/dist.
  const entry = createRequire(import.meta.url).resolve('@urgence/firmware');
  return join(dirname(entry), '..', 'dist', `${kind}.js`);
}

async function flash(port: string, options: FlashOptions, output: Output): Promise<void> {
  const kind = parseKind(options.kind);
  const bundlePath = options.bundle ?? defaultBundlePath(kind);
  const bundle = await readFile(bundlePath).catch(() => {
    throw new CliError(
      ExitCode.Usage,
      `no firmware bundle at ${bundlePath}`,
      'build it with `npm run build -w @urgence/firmware`, or pass --bundle FILE',
    );
  });
  const chunkSize = parsePositiveInt(options.chunkSize, '--chunk-size');
  const started = Date.now();

  const info = await withDevice(port, options, async (device) => {
    await checkKind(device, kind);
    await checkRoom(device, bundle.length);
    output.say(`uploading ${bundle.length} bytes to ${port}`);
    await uploadWithProgress(device, bundle, chunkSize, output).catch(
      (error: unknown) => {
        // Only the staging file was being written: .bootcde has not been touched yet.
        throw withHint(
          error,
          'the upload stopped before anything was installed: the previous firmware is ' +
            'untouched; check the cable, then run `urgence flash` again',
        );
      },
    );
    await verifyStoredFile(device, stagingFile, bundle).catch(async (error: unknown) => {
      await device.evaluate(`require("Storage").erase("${stagingFile}")`).catch(() => {});
      throw withHint(
        error,
        'the previous firmware is untouched; check the cable and retry',
      );
    });
    await holdingInterrupts(output, () => installStaged(device, bundle));
    output.say('verified; restarting the device');
    return restartAndWait(device);
  });

  checkVersion(info, options.expectVersion);
  const crc32 = localCrc32(bundle).toString(16).padStart(8, '0');
  output.result(
    {
      port,
      kind,
      bundle: bundlePath,
      bytes: bundle.length,
      crc32,
      version: info.version,
      durationMs: Date.now() - started,
    },
    [
      `flashed ${kind} firmware ${info.version} on ${port}: ${bundle.length} bytes, ` +
        `CRC-32 ${crc32} verified`,
    ],
  );
}

/** A provisioned device of the other kind would boot firmware that refuses its config. */
async function checkKind(device: EspruinoConsole, kind: DeviceKind): Promise<void> {
  const identity = await readConfigIdentity(device);
  if (identity !== undefined && identity.kind !== kind) {
    throw new CliError(
      ExitCode.Usage,
      `the device is provisioned as a ${identity.kind} (${identity.id}), not a ${kind}`,
      `check the device; flash it with --kind ${identity.kind}`,
    );
  }
}

async function checkRoom(device: EspruinoConsole, bytes: number): Promise<void> {
  const { value: free } = await device.evaluate('require("Storage").getFree()');
  // Staging needs a second copy for a moment; 10% covers Storage's per-file headers.
  if (typeof free === 'number' && free < bytes * 1.1) {
    throw new CliError(
      ExitCode.VerifyFailed,
      `the device has ${free} bytes of Storage free, the bundle needs ${bytes}`,
      'compact its Storage (`require("Storage").compact()` in a console) and retry',
    );
  }
}

async function uploadWithProgress(
  device: EspruinoConsole,
  bundle: Uint8Array,
  chunkSize: number,
  output: Output,
): Promise<void> {
  const bar = output.json
    ? undefined
    : new SingleBar({ format: 'flash [{bar}] {percentage}% {value}/{total} bytes' });
  bar?.start(bundle.length, 0);
  try {
    await uploadFile(device, stagingFile, bundle, {
      chunkSize,
      onProgress: (sent) => bar?.update(sent),
    });
  } finally {
    bar?.stop();
  }
}

/** Copies the verified staging file over `.bootcde` on the device, then checks that too. */
async function installStaged(device: EspruinoConsole, bundle: Uint8Array): Promise<void> {
  await device.evaluate(
    `(function(s){return s.write("${bootFile}",s.read("${stagingFile}"))})(require("Storage"))`,
    30_000,
  );
  await verifyStoredFile(device, bootFile, bundle).catch((error: unknown) => {
    throw withHint(
      error,
      'THE DEVICE IS HALF-FLASHED: its boot code is damaged. Do not leave it like this: ' +
        'run `urgence flash` again now',
    );
  });
  await device.evaluate(`require("Storage").erase("${stagingFile}")`);
}

/**
 * Runs the copy over `.bootcde` with Ctrl-C held back: stopping there is the one moment
 * that would leave the device half-flashed, and it lasts about a second.
 */
async function holdingInterrupts<T>(output: Output, work: () => Promise<T>): Promise<T> {
  const refuse = (): void =>
    output.say('finishing the install: stopping now would leave the device half-flashed');
  process.on('SIGINT', refuse);
  try {
    return await work();
  } finally {
    process.off('SIGINT', refuse);
  }
}

function checkVersion(info: DeviceInfo, expected: string | undefined): void {
  if (expected !== undefined && info.version !== expected) {
    throw new CliError(
      ExitCode.VerifyFailed,
      `the device restarted with firmware ${info.version}, expected ${expected}`,
      'the upload verified, so the bundle itself carries another version: rebuild it',
    );
  }
}

function withHint(error: unknown, hint: string): unknown {
  if (!(error instanceof CliError)) return error;
  return new CliError(error.exitCode, error.message, hint, error.details);
}
