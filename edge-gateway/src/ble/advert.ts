// Reading a BLE advert's manufacturer data: our company id, then protocol/'s 24-byte
// wearable frame. Anything else in the air (phones, beacons, other vendors) is rejected by
// the two cheapest checks — length and company id — before any decoding.
import {
  COMPANY_ID,
  MessageType,
  hexFromBytes,
  readWearableFrame,
} from '@urgence/protocol';
import type { EntryClass } from '../outbox/outbox';

const COMPANY_ID_BYTES = 2;
const FRAME_BYTES = 24;

/**
 * What a gateway can read of a wearable frame without the key: the rotating id and the
 * event stay clear; the counter and the rest are masked per window (protocol/), so the
 * gateway logs and orders wearables by rotating id only.
 */
export type WearableAdvert = {
  rotatingId: string;
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
  const onAir = readWearableFrame(frame);
  if (!onAir.ok) return { ok: false, reason: 'bad-frame', detail: onAir.error.code };
  const event = onAir.value.event;
  return {
    ok: true,
    advert: {
      rotatingId: hexFromBytes(onAir.value.rotatingId),
      messageType: event,
      entryClass: event === MessageType.Heartbeat ? 'heartbeat' : 'alarm',
      frame,
    },
  };
}
