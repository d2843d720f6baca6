// Deterministic CBOR (RFC 8949 §4.2.1: shortest heads, map keys sorted by their encoded
// bytes) for the small set of types in cbor-types.ts. The decoder returns a Result, checks
// every length against the bytes left before allocating, and limits nesting depth.

import { readUint32, utf8Decode, utf8Encode } from './bytes';
import { CborMap, CborTag } from './cbor-types';
import type { CborKey, CborValue } from './cbor-types';
import { fail, ok } from './result';
import type { Result } from './result';
import { CBOR_MAX_DEPTH, MAX_SAFE } from './constants';
export { CBOR_MAX_DEPTH } from './constants';

function pushUint32(out: number[], value: number): void {
  out.push(
    Math.floor(value / 16777216) & 0xff,
    Math.floor(value / 65536) & 0xff,
    Math.floor(value / 256) & 0xff,
    value & 0xff,
  );
}

function pushHead(out: number[], major: number, argument: number): void {
  const top = major * 32;
  if (argument < 24) {
    out.push(top + argument);
  } else if (argument < 256) {
    out.push(top + 24, argument);
  } else if (argument < 65536) {
    out.push(top + 25, Math.floor(argument / 256), argument & 0xff);
  } else if (argument < 4294967296) {
    out.push(top + 26);
    pushUint32(out, argument);
  } else {
    out.push(top + 27);
    pushUint32(out, Math.floor(argument / 4294967296));
    pushUint32(out, argument % 4294967296);
  }
}

function pushBytes(out: number[], bytes: Uint8Array): void {
  for (let i = 0; i < bytes.length; i++) out.push(bytes[i]);
}

function compareBytes(a: number[], b: number[]): number {
  const shorter = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < shorter; i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}

type ItemEncoder = (out: number[], value: CborValue) => void;

// Takes the item encoder as a parameter: maps and items recurse into each other, and
// nothing may be called before its declaration has run (Espruino has no hoisting).
function encodeMapInto(out: number[], map: CborMap, encodeItem: ItemEncoder): void {
  // Sort entries by the bytes of their encoded keys (insertion sort: maps are small).
  const encodedKeys: number[][] = [];
  const order: number[] = [];
  for (let i = 0; i < map.keys.length; i++) {
    const keyBytes: number[] = [];
    encodeItem(keyBytes, map.keys[i]);
    encodedKeys.push(keyBytes);
    let at = order.length;
    while (at > 0 && compareBytes(encodedKeys[order[at - 1]], keyBytes) > 0) at--;
    order.splice(at, 0, i);
  }
  pushHead(out, 5, map.keys.length);
  for (let i = 0; i < order.length; i++) {
    const keyBytes = encodedKeys[order[i]];
    for (let j = 0; j < keyBytes.length; j++) out.push(keyBytes[j]);
    encodeItem(out, map.values[order[i]]);
  }
}

function encodeInto(out: number[], value: CborValue): void {
  if (typeof value === 'number') {
    if (Math.floor(value) !== value || value > MAX_SAFE || value < -MAX_SAFE - 1) {
      throw new Error(
        'cborEncode: only integers within +-2^53 are supported, got ' + value,
      );
    }
    if (value >= 0) pushHead(out, 0, value);
    else pushHead(out, 1, -1 - value);
  } else if (typeof value === 'string') {
    const text = utf8Encode(value);
    pushHead(out, 3, text.length);
    pushBytes(out, text);
  } else if (typeof value === 'boolean') {
    out.push(value ? 0xf5 : 0xf4);
  } else if (value === null) {
    out.push(0xf6);
  } else if (value instanceof Uint8Array) {
    pushHead(out, 2, value.length);
    pushBytes(out, value);
  } else if (value instanceof CborMap) {
    encodeMapInto(out, value, encodeInto);
  } else if (value instanceof CborTag) {
    pushHead(out, 6, value.tag);
    encodeInto(out, value.value);
  } else {
    pushHead(out, 4, value.length);
    for (let i = 0; i < value.length; i++) encodeInto(out, value[i]);
  }
}

export function cborEncode(value: CborValue): Uint8Array {
  const out: number[] = [];
  encodeInto(out, value);
  const bytes = new Uint8Array(out.length);
  for (let i = 0; i < out.length; i++) bytes[i] = out[i];
  return bytes;
}

type Reader = { bytes: Uint8Array; pos: number };

type Head = { major: number; argument: number };

function readHead(reader: Reader): Result<Head> {
  const bytes = reader.bytes;
  if (reader.pos >= bytes.length)
    return fail('truncated', 'CBOR item expected, input ended');
  const initial = bytes[reader.pos];
  reader.pos += 1;
  const major = (initial >> 5) & 0x07;
  const info = initial & 0x1f;
  if (info < 24) return ok({ major: major, argument: info });
  if (info === 31)
    return fail('unsupported', 'indefinite-length CBOR items are not accepted');
  if (info > 27) return fail('bad-cbor', 'reserved CBOR additional information ' + info);
  if (major === 7)
    return fail('unsupported', 'CBOR floats and simple values are not accepted');
  const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : 8;
  if (reader.pos + size > bytes.length) return fail('truncated', 'CBOR head cut short');
  let argument = 0;
  if (size === 8) {
    const high = readUint32(bytes, reader.pos);
    if (high >= 2097152)
      return fail('too-large', 'CBOR integer beyond 2^53 is not accepted');
    argument = high * 4294967296 + readUint32(bytes, reader.pos + 4);
  } else {
    for (let i = 0; i < size; i++) argument = argument * 256 + bytes[reader.pos + i];
  }
  reader.pos += size;
  const floor = size === 1 ? 24 : size === 2 ? 256 : size === 4 ? 65536 : 4294967296;
  if (argument < floor) {
    return fail('non-canonical', 'CBOR head is longer than needed (RFC 8949 §4.2.1)');
  }
  return ok({ major: major, argument: argument });
}

function readByteRun(reader: Reader, length: number): Result<Uint8Array> {
  if (length > reader.bytes.length - reader.pos) {
    return fail('truncated', 'CBOR string of ' + length + ' bytes runs past the input');
  }
  const run = new Uint8Array(length);
  run.set(reader.bytes.subarray(reader.pos, reader.pos + length), 0);
  reader.pos += length;
  return ok(run);
}

type ItemDecoder = (reader: Reader, depth: number) => Result<CborValue>;

function decodeMap(
  reader: Reader,
  count: number,
  depth: number,
  decodeItem: ItemDecoder,
): Result<CborValue> {
  if (count * 2 > reader.bytes.length - reader.pos) {
    return fail('truncated', 'CBOR map of ' + count + ' pairs runs past the input');
  }
  const map = new CborMap();
  for (let i = 0; i < count; i++) {
    const key = decodeItem(reader, depth + 1);
    if (!key.ok) return key;
    const keyValue = key.value;
    if (typeof keyValue !== 'number' && typeof keyValue !== 'string') {
      return fail('bad-key', 'CBOR map keys must be integers or text strings');
    }
    if (map.has(keyValue))
      return fail('duplicate-key', 'CBOR map repeats key ' + keyValue);
    const value = decodeItem(reader, depth + 1);
    if (!value.ok) return value;
    map.set(keyValue as CborKey, value.value);
  }
  return ok(map);
}

function decodeItem(reader: Reader, depth: number): Result<CborValue> {
  if (depth > CBOR_MAX_DEPTH)
    return fail('too-deep', 'CBOR nesting deeper than ' + CBOR_MAX_DEPTH);
  const headResult = readHead(reader);
  if (!headResult.ok) return headResult;
  const major = headResult.value.major;
  const argument = headResult.value.argument;
  const left = reader.bytes.length - reader.pos;
  if (major === 0) return ok(argument);
  if (major === 1) return ok(-1 - argument);
  if (major === 2) return readByteRun(reader, argument);
  if (major === 3) {
    const run = readByteRun(reader, argument);
    if (!run.ok) return run;
    return utf8Decode(run.value);
  }
  if (major === 4) {
    // Every item takes at least one byte: a count beyond the bytes left is a lie.
    if (argument > left)
      return fail(
        'truncated',
        'CBOR array of ' + argument + ' items runs past the input',
      );
    const items: CborValue[] = [];
    for (let i = 0; i < argument; i++) {
      const item = decodeItem(reader, depth + 1);
      if (!item.ok) return item;
      items.push(item.value);
    }
    return ok(items);
  }
  if (major === 5) return decodeMap(reader, argument, depth, decodeItem);
  if (major === 6) {
    const tagged = decodeItem(reader, depth + 1);
    if (!tagged.ok) return tagged;
    return ok(new CborTag(argument, tagged.value));
  }
  if (argument === 20) return ok(false);
  if (argument === 21) return ok(true);
  if (argument === 22) return ok(null);
  return fail('unsupported', 'CBOR simple value ' + argument + ' is not accepted');
}

/** Decodes exactly one item; bytes left over after it are an error. */
export function cborDecode(bytes: Uint8Array): Result<CborValue> {
  const reader: Reader = { bytes: bytes, pos: 0 };
  const item = decodeItem(reader, 0);
  if (!item.ok) return item;
  if (reader.pos !== bytes.length) {
    return fail(
      'trailing-bytes',
      bytes.length - reader.pos + ' bytes follow the CBOR item',
    );
  }
  return item;
}
