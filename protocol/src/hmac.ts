// HMAC-SHA256 (RFC 2104) on a SHA-256 the platform supplies: Espruino's
// require("crypto").SHA256 on the boards, node:crypto in Node. Nothing here imports crypto.

import { concatBytes } from './bytes';
import { BLOCK_SIZE } from './constants';

export type Sha256 = (message: Uint8Array) => Uint8Array;

function padded(blockKey: Uint8Array, pad: number): Uint8Array {
  const block = new Uint8Array(BLOCK_SIZE);
  for (let i = 0; i < BLOCK_SIZE; i++) {
    block[i] = (i < blockKey.length ? blockKey[i] : 0) ^ pad;
  }
  return block;
}

export function hmacSha256(
  sha256: Sha256,
  key: Uint8Array,
  message: Uint8Array,
): Uint8Array {
  // RFC 2104 §2: a key longer than the block is replaced by its hash.
  const blockKey = key.length > BLOCK_SIZE ? sha256(key) : key;
  const inner = sha256(concatBytes([padded(blockKey, 0x36), message]));
  return sha256(concatBytes([padded(blockKey, 0x5c), inner]));
}
