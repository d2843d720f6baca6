// @urgence/protocol: the wire format shared by posts, wearables, gateways and the broker.
// Written in the Espruino/Lua subset; platform services (SHA-256) are passed in.

export { ok, fail } from './result';
export type { Result, ProtocolError } from './result';
export {
  bytesEqual,
  bytesFromHex,
  concatBytes,
  constantTimeEqual,
  copyBytes,
  hexFromBytes,
  readUint16,
  readUint32,
  uint32Bytes,
  utf8Decode,
  utf8Encode,
  writeUint16,
  writeUint32,
} from './bytes';
export { CborMap, CborTag } from './cbor-types';
export type { CborKey, CborValue } from './cbor-types';
export { cborDecode, cborEncode, CBOR_MAX_DEPTH } from './cbor';
export { hmacSha256 } from './hmac';
export type { Sha256 } from './hmac';
export {
  ALG_HMAC_256_256,
  ALG_HMAC_256_64,
  COSE_HEADER_ALG,
  COSE_HEADER_KID,
  COSE_MAC0_TAG,
  PROTECTED_HMAC_256_64,
  mac0Assemble,
  mac0Create,
  mac0Decode,
  mac0Verify,
  macStructure,
} from './cose';
export type { Mac0 } from './cose';
