// Writes a file into the device's Storage through the console, chunk by chunk, and proves
// it arrived intact by comparing the device's CRC-32 of the stored file with ours.

import { crc32 } from 'node:zlib';
import { CliError, ExitCode } from '../exit-codes';
import type { EspruinoConsole } from './espruino-console';

export interface UploadOptions {
  /**
   * Bytes per console line before escaping. 512 keeps a line (at most ~2 KB, usually ~550
   * chars for a JS bundle) within what Espruino buffers while flash is being written, and
   * the progress bar moves smoothly.
   */
  chunkSize?: number;
  /** A chunk includes a flash write (and maybe a page erase): allow far more than a reply. */
  chunkTimeoutMs?: number;
  onProgress?: (bytesSent: number, total: number) => void;
}

/** Storage file names are limited to 28 characters on Espruino 2v05 and later. */
const maxStorageName = 28;

export function storageExpression(name: string): string {
  if (name.length === 0 || name.length > maxStorageName) {
    throw new TypeError(`Storage file name must be 1-${maxStorageName} chars: "${name}"`);
  }
  return `require("Storage")`;
}

/** E.CRC32 is the standard CRC-32 (as zlib's), as an unsigned integer. */
export function localCrc32(bytes: Uint8Array): number {
  return crc32(bytes) >>> 0;
}

export async function uploadFile(
  device: EspruinoConsole,
  name: string,
  bytes: Uint8Array,
  options: UploadOptions = {},
): Promise<void> {
  const storage = storageExpression(name);
  const chunkSize = options.chunkSize ?? 512;
  const timeoutMs = options.chunkTimeoutMs ?? 15_000;
  const quotedName = JSON.stringify(name);

  // Offset 0 with the total size creates the file at its final length; later chunks fill
  // it in place (Storage.write(name, data, offset, size)).
  for (let offset = 0; offset === 0 || offset < bytes.length; offset += chunkSize) {
    const chunk = byteStringLiteral(bytes.subarray(offset, offset + chunkSize));
    const sizeArgument = offset === 0 ? `,0,${bytes.length}` : `,${offset}`;
    const { value } = await device.evaluate(
      `${storage}.write(${quotedName},${chunk}${sizeArgument})`,
      timeoutMs,
    );
    if (value !== true) {
      throw new CliError(
        ExitCode.VerifyFailed,
        `the device refused to store ${name} at byte ${offset} of ${bytes.length}`,
        'its storage may be full: run `urgence diagnose` to see free space',
      );
    }
    options.onProgress?.(Math.min(offset + chunkSize, bytes.length), bytes.length);
  }
}

/**
 * The bytes as an Espruino string literal: printable ASCII as is, everything else as \xNN
 * (Espruino strings are byte strings). A JS bundle is nearly all printable, so this costs
 * ~1.0x on the wire where base64 costs 1.33x, needs no atob on the device, and never puts a
 * control byte (Ctrl-C, DLE, newline) on the console line.
 */
export function byteStringLiteral(bytes: Uint8Array): string {
  let literal = '"';
  for (const byte of bytes) {
    const printable = byte >= 0x20 && byte <= 0x7e && byte !== 0x22 && byte !== 0x5c;
    literal += printable
      ? String.fromCharCode(byte)
      : '\\x' + byte.toString(16).padStart(2, '0');
  }
  return literal + '"';
}

/** The device's CRC-32 of a stored file, or undefined when the file does not exist. */
export async function storedCrc32(
  device: EspruinoConsole,
  name: string,
  timeoutMs = 15_000,
): Promise<number | undefined> {
  const storage = storageExpression(name);
  const quotedName = JSON.stringify(name);
  const { value } = await device.evaluate(
    `(function(f){return f===undefined?null:E.CRC32(f)})(${storage}.read(${quotedName}))`,
    timeoutMs,
  );
  return typeof value === 'number' ? value >>> 0 : undefined;
}

export async function verifyStoredFile(
  device: EspruinoConsole,
  name: string,
  bytes: Uint8Array,
): Promise<void> {
  const expected = localCrc32(bytes);
  const actual = await storedCrc32(device, name);
  if (actual !== expected) {
    throw new CliError(
      ExitCode.VerifyFailed,
      `${name} on the device does not match what was sent ` +
        `(CRC-32 ${hex(actual)} on the device, ${hex(expected)} expected)`,
      'the serial link corrupted the upload: check the cable and run the command again',
      { expectedCrc32: expected, deviceCrc32: actual ?? null },
    );
  }
}

function hex(crc: number | undefined): string {
  return crc === undefined ? 'none (file missing)' : crc.toString(16).padStart(8, '0');
}
