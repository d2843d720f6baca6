// Cross-check against cbor-x (an independent CBOR implementation). cbor-x writes a Map's
// keys in insertion order, so it makes deterministic bytes only when given its keys already
// sorted: asCanonicalCborX sorts them itself (cbor-x's bytes of each key, compared with
// Buffer.compare), never with our encoder, so a wrong order on our side cannot hide.
import { Decoder, Encoder, Tag } from 'cbor-x';
import { CborMap, CborTag } from '../cbor-types';
import type { CborKey, CborValue } from '../cbor-types';

const decoder = new Decoder({ mapsAsObjects: false, useRecords: false });
const encoder = new Encoder({
  mapsAsObjects: false,
  useRecords: false,
  variableMapSize: true,
  tagUint8Array: false,
});

/** Our value in the shape cbor-x decodes to (Map, Tag, Buffer), maps in our order. */
export function asCborX(value: CborValue): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (value instanceof CborMap) {
    const map = new Map<unknown, unknown>();
    for (let i = 0; i < value.keys.length; i++)
      map.set(value.keys[i], asCborX(value.values[i]));
    return map;
  }
  if (value instanceof CborTag) return new Tag(asCborX(value.value), value.tag);
  if (Array.isArray(value)) return value.map(asCborX);
  return value;
}

/**
 * Like asCborX, but every Map gets its keys in the order of RFC 8949 §4.2.1: bytewise
 * lexicographic order of the keys' encodings (so a shorter key is first only when it is
 * a prefix: 24 = 18 18 sorts before -1 = 20, unlike the length-first order of §4.2.3).
 */
export function asCanonicalCborX(value: CborValue): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (value instanceof CborMap) {
    const pairs: { keyBytes: Buffer; key: CborKey; value: unknown }[] = [];
    for (let i = 0; i < value.keys.length; i++) {
      const key = value.keys[i];
      const keyBytes = Buffer.from(encoder.encode(key));
      pairs.push({
        keyBytes: keyBytes,
        key: key,
        value: asCanonicalCborX(value.values[i]),
      });
    }
    pairs.sort((a, b) => Buffer.compare(a.keyBytes, b.keyBytes));
    return new Map(pairs.map((pair) => [pair.key, pair.value]));
  }
  if (value instanceof CborTag) return new Tag(asCanonicalCborX(value.value), value.tag);
  if (Array.isArray(value)) return value.map(asCanonicalCborX);
  return value;
}

export function cborXDecode(bytes: Uint8Array): unknown {
  return decoder.decode(Buffer.from(bytes));
}

export function cborXEncode(value: unknown): Uint8Array {
  return new Uint8Array(encoder.encode(value));
}
