// Reading a BLE advert's manufacturer data: our company id, then protocol/'s 24-byte
// wearable frame. Anything else in the air (phones, beacons, other vendors) is rejected by
// the two cheapest checks — length and company id — before any decoding.
import {
  COMPANY_ID,
  MessageType,
  decodeWearableFrame,
  hexFromBytes,
} from '@urgence/protocol';
import type { EntryClass } from '../outbox/outbox';

const COMPANY_ID_BYTES = 2;
const FRAME_BYTES = 24;

export type WearableAdvert = {
  rotatingId: string;
  counter: number;
  messageType: number;
  entryClass: EntryClass;
  /** The 24 frame bytes (after the company id), forwarded as-is for the ingest to verify. */
  frame: Uint8Array;
};

export type AdvertOutcome =
  | { ok: true; advert: WearableAdvert }
  | { ok: false; reason: 'not-ours' | 'bad-frame'; detail?: string };

export function readManufacturerData(data: Buffer | undefined): AdvertOutcome {
  if (data === undefined || data.length !== COMPANY_ID_BYTES + FRAME_BYTES) {
    return { ok: false, reason: 'not-ours' };
  }
  if (data.readUInt16LE(0) !== COMPANY_ID) return { ok: false, reason: 'not-ours' };
  const frame = new Uint8Array(data.subarray(COMPANY_ID_BYTES));
  const decoded = decodeWearableFrame(frame);
  if (!decoded.ok) return { ok: false, reason: 'bad-frame', detail: decoded.error.code };
  const message = decoded.value.message;
  const counter = message.counter;
  return {
    ok: true,
    advert: {
      rotatingId: hexFromBytes(decoded.value.rotatingId),
      counter,
      messageType: message.type,
      entryClass: message.type === MessageType.Heartbeat ? 'heartbeat' : 'alarm',
      frame,
    },
  };
}
