// Sealing and opening device messages: a catalogue message inside a COSE_Mac0 whose kid is
// the device id. The same pair serves the downlink: the server seals an Ack with the key of
// the device it answers.

import { ALG_HMAC_256_64, mac0Create, mac0Decode, mac0Verify } from './cose';
import { deviceIdFromKid, kidFromDeviceId } from './device-id';
import type { Sha256 } from './hmac';
import { decodeMessage, encodeMessage } from './messages';
import type { DeviceMessage } from './messages';
import { fail, ok } from './result';
import type { Result } from './result';

/** During a key rotation the registry answers with the new and the old key. */
export type KeyLookup = (deviceId: string) => Uint8Array | Uint8Array[] | undefined;

export type OpenedMessage = { deviceId: string; message: DeviceMessage };

/** Throws on a malformed device id: that is a provisioning bug, not bad input. */
export function sealMessage(
  sha256: Sha256,
  deviceId: string,
  key: Uint8Array,
  msg: DeviceMessage,
  externalAad?: Uint8Array,
): Uint8Array {
  const kid = kidFromDeviceId(deviceId);
  if (!kid.ok) throw new Error('sealMessage: ' + kid.error.message);
  return mac0Create(sha256, key, kid.value, encodeMessage(msg), externalAad);
}

function candidateKeys(found: Uint8Array | Uint8Array[]): Uint8Array[] {
  return found instanceof Uint8Array ? [found] : found;
}

/** Decode, look the key up by kid, verify the tag, then decode the payload. */
export function openMessage(
  sha256: Sha256,
  bytes: Uint8Array,
  keyFor: KeyLookup,
  externalAad?: Uint8Array,
): Result<OpenedMessage> {
  const mac0 = mac0Decode(bytes);
  if (!mac0.ok) return mac0;
  if (mac0.value.alg !== ALG_HMAC_256_64) {
    return fail('unsupported-alg', 'device messages use alg 4 (HMAC 256/64)');
  }
  const deviceId = deviceIdFromKid(mac0.value.kid);
  if (!deviceId.ok) return deviceId;
  const found = keyFor(deviceId.value);
  if (found === undefined) {
    return fail('unknown-device', 'no key for device ' + deviceId.value);
  }
  const keys = candidateKeys(found);
  let verified = false;
  for (let i = 0; i < keys.length && !verified; i++) {
    verified = mac0Verify(sha256, keys[i], mac0.value, externalAad);
  }
  if (!verified)
    return fail('bad-tag', 'MAC tag does not verify for device ' + deviceId.value);
  const message = decodeMessage(mac0.value.payload);
  if (!message.ok) return message;
  return ok({ deviceId: deviceId.value, message: message.value });
}
