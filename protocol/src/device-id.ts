// Device ids: 8 lowercase hex digits naming 4 bytes, which are also the COSE kid
// (CONTRACTS.md "Identities"). Posts and wearables share this id space.

import { bytesFromHex, hexFromBytes } from './bytes';
import { fail, ok } from './result';
import type { Result } from './result';
import { DEVICE_ID_BYTES } from './constants';
export { DEVICE_ID_BYTES } from './constants';

export function isDeviceId(text: string): boolean {
  if (text.length !== 2 * DEVICE_ID_BYTES) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const digit = code >= 48 && code <= 57;
    const lowerHex = code >= 97 && code <= 102;
    if (!digit && !lowerHex) return false;
  }
  return true;
}

export function kidFromDeviceId(deviceId: string): Result<Uint8Array> {
  if (!isDeviceId(deviceId)) return fail('bad-device-id');
  return bytesFromHex(deviceId);
}

export function deviceIdFromKid(kid: Uint8Array): Result<string> {
  if (kid.length !== DEVICE_ID_BYTES) {
    return fail(
      'bad-kid',
      'kid must be the 4-byte device id, got ' + kid.length + ' bytes',
    );
  }
  return ok(hexFromBytes(kid));
}
