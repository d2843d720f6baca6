// The few CBOR items the devices write and read (RFC 8949 §3): heads in their shortest
// form (§4.2.1), byte strings, maps of small integer keys with integer or boolean values.
// Messages and COSE_Mac0s are built from these; the general codec (cbor.ts) is for servers.

import { readUint16, readUint32 } from './bytes';

/** Appends a head (major type 0..7, argument 0..2^32-1) in its shortest form. */
export function pushHead(out: number[], major: number, value: number): void {
  // A fraction or a value beyond uint32 is a programming error, not bad input.
  if (!(value >= 0 && value <= 4294967295 && Math.floor(value) === value)) {
    throw new Error('cbor: ' + value);
  }
  const m = major * 32;
  if (value < 24) {
    out.push(m + value);
  } else if (value < 256) {
    out.push(m + 24, value);
  } else if (value < 65536) {
    out.push(m + 25, value >> 8, value & 255);
  } else {
    // Division for the top byte: a shift of a value >= 2^31 would be negative in JS.
    out.push(
      m + 26,
      Math.floor(value / 16777216),
      (value >> 16) & 255,
      (value >> 8) & 255,
    );
    out.push(value & 255);
  }
}

/** Appends a byte string (major type 2). */
export function pushBytes(out: number[], bytes: Uint8Array): void {
  pushHead(out, 2, bytes.length);
  for (let i = 0; i < bytes.length; i++) out.push(bytes[i]);
}

/** new Uint8Array(array) copies on Espruino, in Node and in the Lua shim alike. */
export function bytesOf(list: number[]): Uint8Array {
  return new Uint8Array(list);
}

/**
 * A map with keys in ascending order, all below 24 (one byte each, so numeric order is
 * the bytewise order deterministic encoding asks for); booleans are f4/f5.
 */
export function encodeSmallMap(keys: number[], values: (number | boolean)[]): Uint8Array {
  const out: number[] = [];
  pushHead(out, 5, keys.length);
  for (let i = 0; i < keys.length; i++) {
    out.push(keys[i]);
    const value = values[i];
    if (typeof value === 'boolean') out.push(value ? 0xf5 : 0xf4);
    else pushHead(out, 0, value);
  }
  return bytesOf(out);
}

/**
 * The device's reader of a message map: values by key (0..23), or undefined when the
 * bytes are not one map of unsigned keys to unsigned (<= 2^32-1) or boolean values.
 * Lenient about head length: devices read only what a verified tag covers.
 */
export function readSmallMap(
  bytes: Uint8Array,
): (number | boolean | undefined)[] | undefined {
  const values: (number | boolean | undefined)[] = [];
  let at = 0;
  // Reads one head; -1 when it is not major type `major` or runs past the end.
  const head = (major: number): number => {
    if (at >= bytes.length) return -1;
    const first = bytes[at];
    const info = first & 31;
    const size = info < 24 ? 0 : info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : 9;
    if (first >> 5 !== major || size > 4 || at + 1 + size > bytes.length) return -1;
    const start = at + 1;
    at = start + size;
    if (size === 0) return info;
    if (size === 1) return bytes[start];
    return size === 2 ? readUint16(bytes, start) : readUint32(bytes, start);
  };
  const count = head(5);
  if (count < 0) return undefined;
  for (let n = 0; n < count; n++) {
    const key = head(0);
    if (key < 0 || key > 23) return undefined;
    const simple = at < bytes.length ? bytes[at] : 0;
    if (simple === 0xf4 || simple === 0xf5) {
      values[key] = simple === 0xf5;
      at += 1;
    } else {
      const value = head(0);
      if (value < 0) return undefined;
      values[key] = value;
    }
  }
  return at === bytes.length ? values : undefined;
}
