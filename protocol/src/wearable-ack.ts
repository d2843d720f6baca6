// The downlink to a wearable: a 24-byte frame the gateway advertises (manufacturer data),
// addressed by the wearable's rotating id and tagged with its key, which the wearable scans
// for while its alarm is active. The tag is the COSE tag of the equivalent Ack Mac0; ref,
// stage and eta are masked like the uplink frame's fields, with another part of the mask.

import {
  bytesEqual,
  constantTimeEqual,
  copyBytes,
  readUint16,
  readUint32,
  writeUint16,
  writeUint32,
} from './bytes';
import { mac0Tag } from './cose';
import {
  FRAME_TAG_OFFSET,
  FRAME_VERSION,
  FrameKind,
  WEARABLE_FRAME_BYTES,
  WEARABLE_ACK_HEADER,
} from './ble-frame';
import type { Sha256 } from './hmac';
import { AckStage, MessageType, encodeMessage } from './messages';
import type { AckMessage } from './messages';
import { fail, ok } from './result';
import type { Result } from './result';
import { ROTATING_ID_BYTES, rotatingId, windowAad, windowMask } from './rotating-id';
import { NO_ETA, STAGE_CLOSED, STAGE_RECEIVED, TYPE_ACK } from './constants';
export { NO_ETA } from './constants';

/**
 * XORs ref, stage and eta (offsets 9..15) with mask[16 + o]: the half of the window mask
 * the uplink frame does not use, so no mask byte ever covers two different fields.
 */
export function maskWearableAck(frame: Uint8Array, mask: Uint8Array): void {
  for (let i = 9; i < 16; i++) frame[i] = frame[i] ^ mask[16 + i];
}

export type WearableAck = {
  rotatingId: Uint8Array;
  message: AckMessage;
  tag: Uint8Array;
};

/** What the frame carries of an ack (an ETA above 65,534 s is sent as 65,534). */
export function wearableAckMessage(ack: AckMessage): AckMessage {
  const carried: AckMessage = { type: MessageType.Ack, ref: ack.ref, stage: ack.stage };
  if (ack.eta !== undefined) carried.eta = ack.eta < NO_ETA ? ack.eta : NO_ETA - 1;
  return carried;
}

/** window: the window of the rotating id the alarm was heard under (from the resolver). */
export function encodeWearableAck(
  sha256: Sha256,
  key: Uint8Array,
  window: number,
  ack: AckMessage,
): Uint8Array {
  const message = wearableAckMessage(ack);
  const frame = new Uint8Array(WEARABLE_FRAME_BYTES);
  frame[0] = WEARABLE_ACK_HEADER;
  frame.set(rotatingId(sha256, key, window), 1);
  writeUint32(frame, 9, message.ref);
  frame[13] = message.stage;
  writeUint16(frame, 14, message.eta !== undefined ? message.eta : NO_ETA);
  maskWearableAck(frame, windowMask(sha256, key, window));
  frame.set(
    mac0Tag(sha256, key, encodeMessage(message), windowAad(window)),
    FRAME_TAG_OFFSET,
  );
  return frame;
}

/**
 * Reads the clear part (length, version, kind) and returns the rotating id it is
 * addressed to: a wearable compares it with its own before spending HMACs on it.
 */
export function readWearableAck(bytes: Uint8Array): Result<Uint8Array> {
  if (bytes.length !== WEARABLE_FRAME_BYTES) {
    return fail('bad-length');
  }
  if (bytes[0] >> 4 !== FRAME_VERSION) {
    return fail('unknown-version');
  }
  if ((bytes[0] & 0x0f) !== FrameKind.WearableAck) {
    return fail('wrong-kind');
  }
  return ok(copyBytes(bytes.subarray(1, 1 + ROTATING_ID_BYTES)));
}

/** Reads, unmasks under the window's mask and checks the fields. */
export function decodeWearableAck(
  sha256: Sha256,
  key: Uint8Array,
  window: number,
  frame: Uint8Array,
): Result<WearableAck> {
  const id = readWearableAck(frame);
  if (!id.ok) return fail(id.error.code);
  const bytes = copyBytes(frame);
  maskWearableAck(bytes, windowMask(sha256, key, window));
  const stage = bytes[13];
  if (stage < AckStage.Received || stage > AckStage.Closed) {
    return fail('bad-field');
  }
  const message: AckMessage = {
    type: MessageType.Ack,
    ref: readUint32(bytes, 9),
    stage: stage as AckStage,
  };
  const eta = readUint16(bytes, 14);
  if (eta !== NO_ETA) message.eta = eta;
  return ok({
    rotatingId: id.value,
    message: message,
    tag: copyBytes(bytes.subarray(FRAME_TAG_OFFSET, WEARABLE_FRAME_BYTES)),
  });
}

/** Wearable check: addressed to my id for this window, and tagged with my key. */
export function verifyWearableAck(
  sha256: Sha256,
  key: Uint8Array,
  ack: WearableAck,
  window: number,
): boolean {
  if (!bytesEqual(ack.rotatingId, rotatingId(sha256, key, window))) return false;
  const payload = encodeMessage(ack.message);
  return constantTimeEqual(mac0Tag(sha256, key, payload, windowAad(window)), ack.tag);
}

/**
 * The wearable's own check, in one pass and without result objects (its bundle has 8 KB):
 * true only for an ack frame addressed to its rotating id of `window`, acknowledging the
 * message counted `ref`, and tagged with its key. Same rules as decode + verify.
 */
export function isWearableAckFor(
  sha256: Sha256,
  key: Uint8Array,
  window: number,
  frame: Uint8Array,
  ref: number,
): boolean {
  if (frame.length !== WEARABLE_FRAME_BYTES || frame[0] !== WEARABLE_ACK_HEADER) {
    return false;
  }
  // constantTimeEqual for the id too: one comparer in the wearable's bundle, not two.
  if (!constantTimeEqual(frame.subarray(1, 9), rotatingId(sha256, key, window))) {
    return false;
  }
  const bytes = copyBytes(frame);
  maskWearableAck(bytes, windowMask(sha256, key, window));
  const stage = bytes[13];
  if (readUint32(bytes, 9) !== ref || stage < STAGE_RECEIVED || stage > STAGE_CLOSED) {
    return false;
  }
  const message: AckMessage = {
    type: TYPE_ACK,
    ref: ref,
    stage: stage as AckStage,
  };
  const eta = readUint16(bytes, 14);
  if (eta !== NO_ETA) message.eta = eta;
  const tag = mac0Tag(sha256, key, encodeMessage(message), windowAad(window));
  return constantTimeEqual(tag, bytes.subarray(FRAME_TAG_OFFSET, WEARABLE_FRAME_BYTES));
}
