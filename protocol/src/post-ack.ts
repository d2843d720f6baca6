// A post's reading of the acks its gateway relays: only the exact COSE_Mac0 the server's
// sealMessage makes for this post (protected h'a10104', unprotected {4: kid}), tag checked
// before the payload is read. Small on purpose: the post carries no general CBOR decoder.

import { bytesEqual, constantTimeEqual } from './bytes';
import { readSmallMap } from './cbor-write';
import { PROTECTED_HMAC_256_64, mac0Assemble, mac0Tag } from './cose';
import type { Sha256 } from './hmac';
import {
  KEY_ETA,
  KEY_REF,
  KEY_STAGE,
  KEY_TYPE,
  KEY_VERSION,
  MESSAGE_VERSION,
  MessageType,
} from './messages';
import type { AckMessage, AckStage } from './messages';
import { fail, ok } from './result';
import type { Result } from './result';
import { PAYLOAD_HEAD } from './constants';

/** kid: this post's 4 id bytes. Errors carry only a code (not-cose-mac0, bad-tag, bad-field). */
export function openPostAck(
  sha256: Sha256,
  key: Uint8Array,
  kid: Uint8Array,
  bytes: Uint8Array,
): Result<AckMessage> {
  const first = bytes.length > PAYLOAD_HEAD ? bytes[PAYLOAD_HEAD] : 0;
  const long = first === 0x58;
  const start = long ? PAYLOAD_HEAD + 2 : PAYLOAD_HEAD + 1;
  const length = long ? bytes[PAYLOAD_HEAD + 1] : first - 0x40;
  if (length < 0 || (!long && length > 23) || start + length + 9 !== bytes.length) {
    return fail('not-cose-mac0');
  }
  const payload = bytes.subarray(start, start + length);
  const tag = bytes.subarray(start + length + 1, bytes.length);
  if (!bytesEqual(mac0Assemble(PROTECTED_HMAC_256_64, kid, payload, tag), bytes)) {
    return fail('not-cose-mac0');
  }
  if (!constantTimeEqual(mac0Tag(sha256, key, payload), tag)) return fail('bad-tag');
  const v = readSmallMap(payload);
  if (v === undefined) return fail('bad-field');
  const ref = v[KEY_REF];
  const stage = v[KEY_STAGE];
  const eta = v[KEY_ETA];
  if (
    v[KEY_VERSION] !== MESSAGE_VERSION ||
    v[KEY_TYPE] !== MessageType.Ack ||
    typeof ref !== 'number' ||
    typeof stage !== 'number' ||
    stage < 1 ||
    stage > 3 ||
    (eta !== undefined && (typeof eta !== 'number' || eta > 65535))
  ) {
    return fail('bad-field');
  }
  const ack: AckMessage = { type: MessageType.Ack, ref: ref, stage: stage as AckStage };
  if (typeof eta === 'number') ack.eta = eta;
  return ok(ack);
}
