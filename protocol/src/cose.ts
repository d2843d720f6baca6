// COSE_Mac0 (RFC 9052 §6.2, CBOR tag 17) with HMAC 256/64 (algorithm 4, RFC 9053 §3.1):
// the signed envelope of every device message. The kid rides in the unprotected header,
// which the tag does not cover (RFC 9052 §6.3), so a gateway or the ingest may add it.

import { constantTimeEqual, copyBytes } from './bytes';
import { cborDecode } from './cbor';
import { bytesOf, pushBytes } from './cbor-write';
import { CborMap, CborTag } from './cbor-types';
import type { CborValue } from './cbor-types';
import { hmacSha256 } from './hmac';
import type { Sha256 } from './hmac';
import { fail, ok } from './result';
import type { Result } from './result';
import {
  ALG_HMAC_256_256,
  ALG_HMAC_256_64,
  COSE_HEADER_ALG,
  COSE_HEADER_CRIT,
  COSE_HEADER_KID,
  COSE_MAC0_TAG,
  HMAC_256_64_TAG_BYTES,
} from './constants';
export {
  ALG_HMAC_256_256,
  ALG_HMAC_256_64,
  COSE_HEADER_ALG,
  COSE_HEADER_CRIT,
  COSE_HEADER_KID,
  COSE_MAC0_TAG,
} from './constants';

/** {1: 4} = {alg: HMAC 256/64}, the protected header of everything we create. */
export const PROTECTED_HMAC_256_64 = new Uint8Array(3);
PROTECTED_HMAC_256_64[0] = 0xa1;
PROTECTED_HMAC_256_64[1] = 0x01;
PROTECTED_HMAC_256_64[2] = 0x04;

export type Mac0 = {
  /** The protected header exactly as it was on the wire (the MAC covers these bytes). */
  protectedBytes: Uint8Array;
  alg: number;
  /** Empty when the message carried no kid. */
  kid: Uint8Array;
  payload: Uint8Array;
  tag: Uint8Array;
};

export function tagLengthOf(alg: number): number {
  if (alg === ALG_HMAC_256_64) return HMAC_256_64_TAG_BYTES;
  if (alg === ALG_HMAC_256_256) return 32;
  return 0;
}

/**
 * The MAC_structure of RFC 9052 §6.3: ["MAC0", protected, external_aad, payload].
 * A protected header that is an empty map (h'A0') counts as no header, i.e. h'': RFC 9052 §3
 * makes recipients accept both spellings, and the cose-wg examples (mac-pass-01) and
 * cose-js compute over h'' in that case.
 */
export function macStructure(
  protectedBytes: Uint8Array,
  payload: Uint8Array,
  externalAad: Uint8Array | undefined,
): Uint8Array {
  const isEmptyMap = protectedBytes.length === 1 && protectedBytes[0] === 0xa0;
  // 84: array of 4; 64 4d 41 43 30: the text "MAC0".
  const out = [0x84, 0x64, 0x4d, 0x41, 0x43, 0x30];
  pushBytes(out, isEmptyMap ? new Uint8Array(0) : protectedBytes);
  pushBytes(out, externalAad === undefined ? new Uint8Array(0) : externalAad);
  pushBytes(out, payload);
  return bytesOf(out);
}

function computeTag(
  sha256: Sha256,
  key: Uint8Array,
  tagLength: number,
  protectedBytes: Uint8Array,
  payload: Uint8Array,
  externalAad: Uint8Array | undefined,
): Uint8Array {
  const full = hmacSha256(
    sha256,
    key,
    macStructure(protectedBytes, payload, externalAad),
  );
  return copyBytes(full.subarray(0, tagLength));
}

/** The HMAC 256/64 tag mac0Create would put on payload (for frames that carry only it). */
export function mac0Tag(
  sha256: Sha256,
  key: Uint8Array,
  payload: Uint8Array,
  externalAad?: Uint8Array,
): Uint8Array {
  return computeTag(
    sha256,
    key,
    HMAC_256_64_TAG_BYTES,
    PROTECTED_HMAC_256_64,
    payload,
    externalAad,
  );
}

/** Serialises the four parts as a tagged COSE_Mac0; kid goes in the unprotected header. */
export function mac0Assemble(
  protectedBytes: Uint8Array,
  kid: Uint8Array,
  payload: Uint8Array,
  tag: Uint8Array,
): Uint8Array {
  // d1: tag 17; 84: array of 4; unprotected {4: kid} (a1 04 ...) or {} (a0).
  const out = [0xd1, 0x84];
  pushBytes(out, protectedBytes);
  if (kid.length > 0) {
    out.push(0xa1, COSE_HEADER_KID);
    pushBytes(out, kid);
  } else {
    out.push(0xa0);
  }
  pushBytes(out, payload);
  pushBytes(out, tag);
  return bytesOf(out);
}

export function mac0Create(
  sha256: Sha256,
  key: Uint8Array,
  kid: Uint8Array,
  payload: Uint8Array,
  externalAad?: Uint8Array,
): Uint8Array {
  const tag = computeTag(
    sha256,
    key,
    HMAC_256_64_TAG_BYTES,
    PROTECTED_HMAC_256_64,
    payload,
    externalAad,
  );
  return mac0Assemble(PROTECTED_HMAC_256_64, kid, payload, tag);
}

function decodeProtected(protectedBytes: Uint8Array): Result<CborMap> {
  if (protectedBytes.length === 0) return ok(new CborMap());
  const decoded = cborDecode(protectedBytes);
  if (!decoded.ok)
    return fail('bad-header', 'protected header: ' + decoded.error.message);
  if (!(decoded.value instanceof CborMap)) {
    return fail('bad-header', 'protected header must be a CBOR map in a byte string');
  }
  return ok(decoded.value);
}

function headerValue(
  protectedMap: CborMap,
  unprotected: CborMap,
  label: number,
): Result<CborValue | undefined> {
  const inProtected = protectedMap.get(label);
  const inUnprotected = unprotected.get(label);
  // RFC 9052 §3: a label must not appear in both buckets.
  if (inProtected !== undefined && inUnprotected !== undefined) {
    return fail(
      'bad-header',
      'header ' + label + ' appears in both protected and unprotected',
    );
  }
  return ok(inProtected !== undefined ? inProtected : inUnprotected);
}

function decodeParts(parts: CborValue[]): Result<Mac0> {
  const protectedBytes = parts[0];
  const unprotected = parts[1];
  const payload = parts[2];
  const tag = parts[3];
  if (!(protectedBytes instanceof Uint8Array) || !(unprotected instanceof CborMap)) {
    return fail('not-cose-mac0', 'COSE_Mac0 headers must be a byte string and a map');
  }
  if (!(payload instanceof Uint8Array) || !(tag instanceof Uint8Array)) {
    return fail('not-cose-mac0', 'COSE_Mac0 payload and tag must be byte strings');
  }
  const protectedMap = decodeProtected(protectedBytes);
  if (!protectedMap.ok) return protectedMap;
  if (protectedMap.value.has(COSE_HEADER_CRIT) || unprotected.has(COSE_HEADER_CRIT)) {
    return fail('unsupported', 'critical headers (crit) are not understood here');
  }
  const alg = headerValue(protectedMap.value, unprotected, COSE_HEADER_ALG);
  if (!alg.ok) return alg;
  if (typeof alg.value !== 'number' || tagLengthOf(alg.value) === 0) {
    return fail(
      'unsupported-alg',
      'COSE alg must be 4 (HMAC 256/64) or 5 (HMAC 256/256)',
    );
  }
  if (tag.length !== tagLengthOf(alg.value)) {
    return fail(
      'bad-tag',
      'COSE tag length ' + tag.length + ' does not fit alg ' + alg.value,
    );
  }
  const kid = headerValue(protectedMap.value, unprotected, COSE_HEADER_KID);
  if (!kid.ok) return kid;
  if (kid.value !== undefined && !(kid.value instanceof Uint8Array)) {
    return fail('bad-header', 'COSE kid must be a byte string');
  }
  return ok({
    protectedBytes: protectedBytes,
    alg: alg.value,
    kid: kid.value === undefined ? new Uint8Array(0) : kid.value,
    payload: payload,
    tag: tag,
  });
}

/** Accepts tag 17 or, as RFC 9052 §2 allows where the context is known, no tag. */
export function mac0Decode(bytes: Uint8Array): Result<Mac0> {
  const decoded = cborDecode(bytes);
  if (!decoded.ok) return decoded;
  let body = decoded.value;
  if (body instanceof CborTag) {
    if (body.tag !== COSE_MAC0_TAG) {
      return fail('wrong-cbor-tag', 'expected CBOR tag 17 (COSE_Mac0), got ' + body.tag);
    }
    body = body.value;
  }
  // Uint8Array first: under Lua a byte-array shim can look like an array.
  if (body instanceof Uint8Array || !Array.isArray(body) || body.length !== 4) {
    return fail('not-cose-mac0', 'COSE_Mac0 must be an array of 4 items');
  }
  return decodeParts(body);
}

/** Recomputes the tag and compares it in constant time. */
export function mac0Verify(
  sha256: Sha256,
  key: Uint8Array,
  mac0: Mac0,
  externalAad?: Uint8Array,
): boolean {
  const length = tagLengthOf(mac0.alg);
  if (length === 0 || mac0.tag.length !== length) return false;
  const expected = computeTag(
    sha256,
    key,
    length,
    mac0.protectedBytes,
    mac0.payload,
    externalAad,
  );
  return constantTimeEqual(expected, mac0.tag);
}
