// Text for the error codes that device paths return bare (a code is all a bundle can
// afford): servers, the CLI and logs turn a code into a sentence here. Server-only.

import type { ProtocolError } from './result';

const TEXT: Record<string, string> = {
  truncated: 'input ends before the item or frame is complete',
  'too-large': 'frame or payload longer than the maximum',
  'bad-cobs': 'COBS stuffing is broken (zero block code, raw 0x00 or block past the end)',
  'bad-crc': 'link frame CRC-16 does not match',
  'unknown-version': 'version not understood (only 1 is)',
  'unknown-kind': 'link frame kind is neither Data (1) nor Ack (2)',
  'bad-length': 'wrong length (a wearable frame is 24 bytes, a link ack has no payload)',
  'wrong-kind': 'frame kind does not match (wearable event 1, wearable ack 2)',
  'bad-field': 'a field is missing, of the wrong type or out of range',
  'bad-hex': 'hex text must have an even length and only 0-9, a-f, A-F',
  'bad-device-id': 'a device id is 8 lowercase hex digits',
  'bad-kid': 'the kid must be the 4-byte device id',
  'not-cose-mac0': 'not the COSE_Mac0 this profile expects',
  'bad-tag': 'the MAC tag does not verify',
  'queue-full': 'the link queue is full',
  'unknown-rotating-id': 'the rotating id matches no device now',
};

/** A sentence for a code; the message itself when it is more than the bare code. */
export function describeError(error: ProtocolError): string {
  if (error.message !== error.code) return error.message;
  const text = TEXT[error.code];
  return text !== undefined ? error.code + ': ' + text : error.code;
}
