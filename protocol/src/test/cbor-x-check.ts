// Cross-check against cbor-x (an independent CBOR implementation): our bytes must decode
// there to the same value, and cbor-x's re-encoding of that value must give our bytes.
import { Decoder, Encoder, Tag } from 'cbor-x';
import { CborMap, CborTag } from '../cbor-types';
import type { CborValue } from '../cbor-types';

const decoder = new Decoder({ mapsAsObjects: false, useRecords: false });
const encoder = new Encoder({
  mapsAsObjects: false,
  useRecords: false,
  variableMapSize: true,
  tagUint8Array: false,
});

/** Our value in the shape cbor-x decodes to (Map, Tag, Buffer). */
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

export function cborXDecode(bytes: Uint8Array): unknown {
  return decoder.decode(Buffer.from(bytes));
}

export function cborXEncode(value: unknown): Uint8Array {
  return new Uint8Array(encoder.encode(value));
}
