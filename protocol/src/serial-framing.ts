// Byte framing of the serial link between a post and its gateway (RS-485 or UART):
// [header, seq, payload..., crc16 hi, crc16 lo], COBS-encoded, between 0x00 delimiters.
// The decoder takes bytes as they come and hands back whole frames or typed errors.

import { cobsDecode, cobsEncode, cobsMaxEncodedLength } from './cobs';
import { copyBytes } from './bytes';
import { crc16 } from './crc16';
import { fail, ok } from './result';
import type { Result } from './result';
import {
  DELIMITER,
  LINK_OVERHEAD_BYTES,
  LINK_VERSION,
  MAX_LINK_PAYLOAD,
} from './constants';
export { LINK_OVERHEAD_BYTES, LINK_VERSION, MAX_LINK_PAYLOAD } from './constants';

export const LinkKind = { Data: 1, Ack: 2 } as const;

export type LinkFrame = { kind: number; seq: number; payload: Uint8Array };

/** A frame on the wire: leading 0x00 (flushes line noise at the receiver), COBS, 0x00. */
export function encodeLinkFrame(
  kind: number,
  seq: number,
  payload: Uint8Array,
): Uint8Array {
  const raw = new Uint8Array(payload.length + LINK_OVERHEAD_BYTES);
  raw[0] = LINK_VERSION * 16 + kind;
  raw[1] = seq & 0xff;
  raw.set(payload, 2);
  const crc = crc16(raw, 0, raw.length - 2);
  raw[raw.length - 2] = (crc >> 8) & 0xff;
  raw[raw.length - 1] = crc & 0xff;
  const stuffed = cobsEncode(raw);
  const wire = new Uint8Array(stuffed.length + 2);
  wire[0] = DELIMITER;
  wire.set(stuffed, 1);
  wire[wire.length - 1] = DELIMITER;
  return wire;
}

/** Data frame on the wire, or [too-large] beyond maxPayloadBytes. */
export function encodeDataFrame(
  seq: number,
  payload: Uint8Array,
  maxPayloadBytes: number,
): Result<Uint8Array> {
  if (payload.length > maxPayloadBytes) return fail('too-large');
  return ok(encodeLinkFrame(LinkKind.Data, seq, payload));
}

export class LinkEncoder {
  maxPayloadBytes: number;

  constructor(maxPayloadBytes?: number) {
    this.maxPayloadBytes =
      maxPayloadBytes !== undefined ? maxPayloadBytes : MAX_LINK_PAYLOAD;
  }

  data(seq: number, payload: Uint8Array): Result<Uint8Array> {
    return encodeDataFrame(seq, payload, this.maxPayloadBytes);
  }

  ack(seq: number): Uint8Array {
    return encodeLinkFrame(LinkKind.Ack, seq, new Uint8Array(0));
  }
}

/** Checks one unstuffed frame: length, CRC, version, kind (errors carry only the code). */
export function parseLinkFrame(raw: Uint8Array): Result<LinkFrame> {
  const n = raw.length;
  if (n < LINK_OVERHEAD_BYTES) return fail('truncated');
  if (raw[n - 2] * 256 + raw[n - 1] !== crc16(raw, 0, n - 2)) return fail('bad-crc');
  if (raw[0] >> 4 !== LINK_VERSION) return fail('unknown-version');
  const kind = raw[0] & 0x0f;
  if (kind !== LinkKind.Data && kind !== LinkKind.Ack) return fail('unknown-kind');
  if (kind === LinkKind.Ack && n !== LINK_OVERHEAD_BYTES) return fail('bad-length');
  return ok({ kind: kind, seq: raw[1], payload: copyBytes(raw.subarray(2, n - 2)) });
}

/**
 * Push bytes in any chunking; get whole frames or errors. Memory is one fixed buffer:
 * a frame growing past the maximum is reported once as 'too-large' and skipped to the
 * next delimiter. Empty frames (two delimiters in a row) are idle fill, not errors.
 */
export function createFrameDecoder(
  maxPayloadBytes: number,
): (this: void, chunk: Uint8Array) => Result<LinkFrame>[] {
  const buffer = new Uint8Array(
    cobsMaxEncodedLength(maxPayloadBytes + LINK_OVERHEAD_BYTES),
  );
  let length = 0;
  let overflowed = false;
  return (chunk) => {
    const results: Result<LinkFrame>[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === DELIMITER) {
        if (!overflowed && length > 0) {
          const raw = cobsDecode(buffer.subarray(0, length));
          results.push(raw.ok ? parseLinkFrame(raw.value) : fail(raw.error.code));
        }
        length = 0;
        overflowed = false;
      } else if (overflowed) {
        // Skipping the rest of an oversized frame.
      } else if (length >= buffer.length) {
        overflowed = true;
        results.push(fail('too-large'));
      } else {
        buffer[length] = byte;
        length += 1;
      }
    }
    return results;
  };
}

/** The decoder as a class (servers); the post uses createFrameDecoder directly. */
export class FrameDecoder {
  push: (this: void, chunk: Uint8Array) => Result<LinkFrame>[];

  constructor(maxPayloadBytes?: number) {
    this.push = createFrameDecoder(
      maxPayloadBytes !== undefined ? maxPayloadBytes : MAX_LINK_PAYLOAD,
    );
  }
}
