// The wearable's compact advert frame: 24 bytes of manufacturer data, because a COSE_Mac0
// with a 4-byte kid does not fit a legacy advert. Its tag is the real COSE tag of the
// equivalent Mac0, so the server rebuilds that Mac0 and verifies it with the same code.

import {
  bytesEqual,
  constantTimeEqual,
  copyBytes,
  readUint32,
  writeUint32,
} from './bytes';
import { PROTECTED_HMAC_256_64, mac0Assemble, mac0Tag } from './cose';
import { kidFromDeviceId } from './device-id';
import type { Sha256 } from './hmac';
import { FaultCode, MessageType, encodeMessage } from './messages';
import type { FaultMessage, UplinkMessage } from './messages';
import { fail, ok } from './result';
import type { Result } from './result';
import { ROTATING_ID_BYTES, rotatingId, windowAad, windowMask } from './rotating-id';
import {
  COMPANY_ID,
  EVENT_OFFSET,
  FAULT_ACTIVE_BIT,
  FRAME_TAG_OFFSET,
  FRAME_VERSION,
  MASKED_FROM,
  MASKED_TO,
  NO_BATTERY,
  WEARABLE_EVENT_HEADER,
  WEARABLE_FRAME_BYTES,
  TYPE_FAULT,
} from './constants';
export {
  COMPANY_ID,
  FRAME_TAG_BYTES,
  FRAME_TAG_OFFSET,
  FRAME_VERSION,
  NO_BATTERY,
  WEARABLE_ACK_HEADER,
  WEARABLE_EVENT_HEADER,
  WEARABLE_FRAME_BYTES,
} from './constants';

export const FrameKind = { WearableEvent: 1, WearableAck: 2 } as const;

/** message: what the frame's fields say, as the catalogue message the tag covers. */
export type WearableFrame = {
  rotatingId: Uint8Array;
  message: UplinkMessage;
  tag: Uint8Array;
};

export type WearableFrameFields = { window: number; message: UplinkMessage };

/**
 * What anyone can read of a frame without the key: the rotating id, the event (clear so a
 * gateway puts alarms before supervision) and the tag. `bytes` is the 24-byte frame as
 * heard, counter, battery and detail still masked.
 */
export type WearableFrameOnAir = {
  rotatingId: Uint8Array;
  event: number;
  tag: Uint8Array;
  bytes: Uint8Array;
};

/**
 * XORs counter (9..12), battery (14) and detail (15) with the window mask, byte at offset
 * o with mask[o]; the same call unmasks. Done in place on a frame of our own.
 */
export function maskWearableFrame(frame: Uint8Array, mask: Uint8Array): void {
  for (let i = MASKED_FROM; i < MASKED_TO; i++) {
    if (i !== EVENT_OFFSET) frame[i] = frame[i] ^ mask[i];
  }
}

export function frameHeader(kind: number): number {
  return FRAME_VERSION * 16 + kind;
}

/** Only what the 24 bytes carry: a cancel's ref and a heartbeat's mains, inCall are left out. */
export function wearableMessage(message: UplinkMessage): UplinkMessage {
  const carried: UplinkMessage =
    message.type === MessageType.Fault
      ? {
          type: MessageType.Fault,
          counter: message.counter,
          fault: message.fault,
          active: message.active,
        }
      : { type: message.type, counter: message.counter };
  if (message.battery !== undefined) carried.battery = message.battery;
  return carried;
}

function detailByte(message: UplinkMessage): number {
  if (message.type !== TYPE_FAULT) return 0;
  return (message.active ? FAULT_ACTIVE_BIT : 0) + message.fault;
}

/**
 * The device's encoder: `message` must already be what a frame carries (wearableMessage:
 * no cancel ref, no mains), as the wearable's own messages are; the tag covers exactly it.
 */
export function sealWearableFrame(
  sha256: Sha256,
  key: Uint8Array,
  window: number,
  message: UplinkMessage,
): Uint8Array {
  const payload = encodeMessage(message);
  const frame = new Uint8Array(WEARABLE_FRAME_BYTES);
  frame[0] = WEARABLE_EVENT_HEADER;
  frame.set(rotatingId(sha256, key, window), 1);
  writeUint32(frame, 9, message.counter);
  frame[13] = message.type;
  frame[14] = message.battery !== undefined ? message.battery : NO_BATTERY;
  frame[15] = detailByte(message);
  maskWearableFrame(frame, windowMask(sha256, key, window));
  frame.set(mac0Tag(sha256, key, payload, windowAad(window)), FRAME_TAG_OFFSET);
  return frame;
}

export function encodeWearableFrame(
  sha256: Sha256,
  key: Uint8Array,
  fields: WearableFrameFields,
): Uint8Array {
  return sealWearableFrame(sha256, key, fields.window, wearableMessage(fields.message));
}

function messageFromFields(
  event: number,
  counter: number,
  battery: number,
  detail: number,
): Result<UplinkMessage> {
  if (event < MessageType.Alarm || event > MessageType.TestAlarm) {
    return fail('bad-field', 'wearable event must be 1..5, got ' + event);
  }
  if (battery > 100 && battery !== NO_BATTERY) {
    return fail('bad-field', 'battery must be 0..100 or 255 (unknown), got ' + battery);
  }
  let message: UplinkMessage;
  if (event === MessageType.Fault) {
    const fault = detail & 0x7f;
    if (fault < FaultCode.Tamper || fault > FaultCode.StuckButton) {
      return fail('bad-field', 'fault code must be 1..6, got ' + fault);
    }
    const faultMessage: FaultMessage = {
      type: MessageType.Fault,
      counter: counter,
      fault: fault as FaultMessage['fault'],
      active: (detail & FAULT_ACTIVE_BIT) !== 0,
    };
    message = faultMessage;
  } else {
    if (detail !== 0)
      return fail('bad-field', 'detail byte must be 0 for event ' + event);
    message = { type: event as 1 | 2 | 3 | 5, counter: counter };
  }
  if (battery !== NO_BATTERY) message.battery = battery;
  return ok(message);
}

/**
 * Reads what is clear on air (for gateways, which hold no keys): length, version, kind and
 * event. bytes: the manufacturer data after the 2-byte company id.
 */
export function readWearableFrame(bytes: Uint8Array): Result<WearableFrameOnAir> {
  if (bytes.length !== WEARABLE_FRAME_BYTES) {
    return fail('bad-length', 'wearable frame must be 24 bytes, got ' + bytes.length);
  }
  if (bytes[0] >> 4 !== FRAME_VERSION) {
    return fail(
      'unknown-version',
      'wearable frame version ' + (bytes[0] >> 4) + ' unknown',
    );
  }
  if ((bytes[0] & 0x0f) !== FrameKind.WearableEvent) {
    return fail(
      'wrong-kind',
      'not a wearable event frame (kind ' + (bytes[0] & 0x0f) + ')',
    );
  }
  const event = bytes[EVENT_OFFSET];
  if (event < MessageType.Alarm || event > MessageType.TestAlarm) {
    return fail('bad-field', 'wearable event must be 1..5, got ' + event);
  }
  return ok({
    rotatingId: copyBytes(bytes.subarray(1, 1 + ROTATING_ID_BYTES)),
    event: event,
    tag: copyBytes(bytes.subarray(FRAME_TAG_OFFSET, WEARABLE_FRAME_BYTES)),
    bytes: copyBytes(bytes),
  });
}

/**
 * Removes the window mask (key and window from the resolver) and checks the fields. A
 * wrong key or window gives random fields: [bad-field] here, or [bad-tag] on verify.
 */
export function unmaskWearableFrame(
  sha256: Sha256,
  key: Uint8Array,
  window: number,
  onAir: WearableFrameOnAir,
): Result<WearableFrame> {
  const bytes = copyBytes(onAir.bytes);
  maskWearableFrame(bytes, windowMask(sha256, key, window));
  const message = messageFromFields(
    bytes[EVENT_OFFSET],
    readUint32(bytes, 9),
    bytes[14],
    bytes[15],
  );
  if (!message.ok) return message;
  return ok({ rotatingId: onAir.rotatingId, message: message.value, tag: onAir.tag });
}

/** Reads and unmasks in one call, for a holder of the key who knows the window. */
export function decodeWearableFrame(
  sha256: Sha256,
  key: Uint8Array,
  window: number,
  bytes: Uint8Array,
): Result<WearableFrame> {
  const onAir = readWearableFrame(bytes);
  if (!onAir.ok) return onAir;
  return unmaskWearableFrame(sha256, key, window, onAir.value);
}

/**
 * The COSE_Mac0 the frame stands for, with the device id (from the resolver) as kid.
 * Verify it with external_aad = windowAad(window of the resolved rotating id).
 */
export function rebuildMac0(frame: WearableFrame, deviceId: string): Uint8Array {
  const kid = kidFromDeviceId(deviceId);
  if (!kid.ok) throw new Error('rebuildMac0: ' + kid.error.message);
  return mac0Assemble(
    PROTECTED_HMAC_256_64,
    kid.value,
    encodeMessage(frame.message),
    frame.tag,
  );
}

/** Server check: the frame's id belongs to this key and window, and its COSE tag verifies. */
export function verifyWearableFrame(
  sha256: Sha256,
  key: Uint8Array,
  frame: WearableFrame,
  window: number,
): boolean {
  if (!bytesEqual(frame.rotatingId, rotatingId(sha256, key, window))) return false;
  const payload = encodeMessage(frame.message);
  return constantTimeEqual(mac0Tag(sha256, key, payload, windowAad(window)), frame.tag);
}

/** Manufacturer data as advertised: company id (little-endian, as BLE writes it) + frame. */
export function manufacturerData(frame: Uint8Array): Uint8Array {
  const data = new Uint8Array(2 + frame.length);
  data[0] = COMPANY_ID & 0xff;
  data[1] = (COMPANY_ID >> 8) & 0xff;
  data.set(frame, 2);
  return data;
}
