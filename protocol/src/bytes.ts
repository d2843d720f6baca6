// Byte helpers limited to the Uint8Array subset the Lua shim and Espruino share:
// new Uint8Array(n), b[i], b.length, b.subarray(start, end), b.set(other, offset).
// Integers wider than 16 bits are built with arithmetic, never shifts (Lua ints are 64-bit).

import { fail, ok } from './result';
import type { Result } from './result';

const HEX_DIGITS = '0123456789abcdef';

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (let i = 0; i < parts.length; i++) total += parts[i].length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (let i = 0; i < parts.length; i++) {
    out.set(parts[i], offset);
    offset += parts[i].length;
  }
  return out;
}

export function copyBytes(source: Uint8Array): Uint8Array {
  const out = new Uint8Array(source.length);
  out.set(source, 0);
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return false;
  }
  return true;
}

/** Compares without an early exit, so the time taken does not reveal how many bytes match. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference = difference | (a[i] ^ b[i]);
  return difference === 0;
}

export function hexFromBytes(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) {
    text +=
      HEX_DIGITS.charAt((bytes[i] >> 4) & 0x0f) + HEX_DIGITS.charAt(bytes[i] & 0x0f);
  }
  return text;
}

function hexDigitValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/** Accepts upper or lower case, no separators. */
export function bytesFromHex(text: string): Result<Uint8Array> {
  if (text.length % 2 !== 0) return fail('bad-hex');
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    const high = hexDigitValue(text.charCodeAt(2 * i));
    const low = hexDigitValue(text.charCodeAt(2 * i + 1));
    if (high < 0 || low < 0) return fail('bad-hex');
    out[i] = high * 16 + low;
  }
  return ok(out);
}

export function writeUint16(target: Uint8Array, offset: number, value: number): void {
  target[offset] = (value >> 8) & 0xff;
  target[offset + 1] = value & 0xff;
}

export function readUint16(source: Uint8Array, offset: number): number {
  return source[offset] * 256 + source[offset + 1];
}

export function writeUint32(target: Uint8Array, offset: number, value: number): void {
  target[offset] = Math.floor(value / 16777216) & 0xff;
  target[offset + 1] = Math.floor(value / 65536) & 0xff;
  target[offset + 2] = Math.floor(value / 256) & 0xff;
  target[offset + 3] = value & 0xff;
}

export function readUint32(source: Uint8Array, offset: number): number {
  return (
    ((source[offset] * 256 + source[offset + 1]) * 256 + source[offset + 2]) * 256 +
    source[offset + 3]
  );
}

export function uint32Bytes(value: number): Uint8Array {
  const out = new Uint8Array(4);
  writeUint32(out, 0, value);
  return out;
}

/** Bytes of a string of 8-bit characters (ASCII labels, Espruino serial data). */
export function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** UTF-8 from a JS string; surrogate pairs become one 4-byte sequence. */
export function utf8Encode(text: string): Uint8Array {
  const scratch: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      code = 0x10000 + (code - 0xd800) * 1024 + (next - 0xdc00);
      i++;
    }
    if (code < 0x80) {
      scratch.push(code);
    } else if (code < 0x800) {
      scratch.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
      scratch.push(
        0xe0 | (code >> 12),
        0x80 | ((code >> 6) & 0x3f),
        0x80 | (code & 0x3f),
      );
    } else {
      scratch.push(
        0xf0 | (code >> 18),
        0x80 | ((code >> 12) & 0x3f),
        0x80 | ((code >> 6) & 0x3f),
        0x80 | (code & 0x3f),
      );
    }
  }
  const out = new Uint8Array(scratch.length);
  for (let i = 0; i < scratch.length; i++) out[i] = scratch[i];
  return out;
}

function continuation(bytes: Uint8Array, index: number): number {
  if (index >= bytes.length) return -1;
  const byte = bytes[index];
  return (byte & 0xc0) === 0x80 ? byte & 0x3f : -1;
}

/** Strict UTF-8 (no overlongs, no surrogates, max U+10FFFF). */
export function utf8Decode(bytes: Uint8Array): Result<string> {
  let text = '';
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    let code = -1;
    let size = 1;
    if (lead < 0x80) {
      code = lead;
    } else if (lead >= 0xc2 && lead <= 0xdf) {
      const c1 = continuation(bytes, i + 1);
      size = 2;
      if (c1 >= 0) code = (lead & 0x1f) * 64 + c1;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      const c1 = continuation(bytes, i + 1);
      const c2 = continuation(bytes, i + 2);
      size = 3;
      if (c1 >= 0 && c2 >= 0) code = ((lead & 0x0f) * 64 + c1) * 64 + c2;
      if (code < 0x800 || (code >= 0xd800 && code <= 0xdfff)) code = -1;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      const c1 = continuation(bytes, i + 1);
      const c2 = continuation(bytes, i + 2);
      const c3 = continuation(bytes, i + 3);
      size = 4;
      if (c1 >= 0 && c2 >= 0 && c3 >= 0)
        code = (((lead & 0x07) * 64 + c1) * 64 + c2) * 64 + c3;
      if (code < 0x10000 || code > 0x10ffff) code = -1;
    }
    if (code < 0) return fail('bad-utf8', 'text string is not valid UTF-8 at byte ' + i);
    if (code >= 0x10000) {
      const offsetCode = code - 0x10000;
      text += String.fromCharCode(
        0xd800 + Math.floor(offsetCode / 1024),
        0xdc00 + (offsetCode & 0x3ff),
      );
    } else {
      text += String.fromCharCode(code);
    }
    i += size;
  }
  return ok(text);
}
