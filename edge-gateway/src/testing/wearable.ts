// Builds the manufacturer data a provisioned wearable would advertise, with protocol/'s
// encoder and Node's SHA-256, for tests and benchmarks.
import { createHash } from 'node:crypto';
import { COMPANY_ID, encodeWearableFrame, windowOf } from '@urgence/protocol';
import type { UplinkMessage } from '@urgence/protocol';

export const sha256 = (message: Uint8Array): Uint8Array =>
  new Uint8Array(createHash('sha256').update(message).digest());

export function wearableAdvert(
  key: Uint8Array,
  message: UplinkMessage,
  atMs = Date.now(),
): Buffer {
  const frame = encodeWearableFrame(sha256, key, {
    window: windowOf(Math.floor(atMs / 1000)),
    message,
  });
  const companyId = Buffer.alloc(2);
  companyId.writeUInt16LE(COMPANY_ID, 0);
  return Buffer.concat([companyId, frame]);
}
