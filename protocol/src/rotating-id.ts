// A wearable's advert carries no static byte: its id is an HMAC of its key and the current
// 15-minute window (the Exposure Notification / Eddystone-EID idea), so only a holder of the
// key can link two adverts. Its random BLE address is derived the same way and rotates too.

import { asciiBytes, concatBytes, copyBytes, uint32Bytes } from './bytes';
import { hmacSha256 } from './hmac';
import type { Sha256 } from './hmac';
import { RANDOM_ADDRESS_BYTES, ROTATING_ID_BYTES, ROTATION_SECONDS } from './constants';
export { RANDOM_ADDRESS_BYTES, ROTATING_ID_BYTES, ROTATION_SECONDS } from './constants';

// Labels separate these HMAC inputs from each other and from the COSE MAC_structure
// (which always starts 0x84 0x64 "MAC0"). Marked pure so a bundle that never derives ids
// (the post) drops them.
const ROTATING_ID_LABEL = /* @__PURE__ */ asciiBytes('urgence/rid/v1');
const ADDRESS_LABEL = /* @__PURE__ */ asciiBytes('urgence/addr/v1');
const MASK_LABEL = /* @__PURE__ */ asciiBytes('urgence/mask/v1');

export function windowOf(unixSeconds: number): number {
  return Math.floor(unixSeconds / ROTATION_SECONDS);
}

/** HMAC-SHA256 as a function of key and message (a server may pass a native one). */
export type HmacSha256 = (key: Uint8Array, message: Uint8Array) => Uint8Array;

export function rotatingIdWith(
  hmac: HmacSha256,
  key: Uint8Array,
  window: number,
): Uint8Array {
  const mac = hmac(key, concatBytes([ROTATING_ID_LABEL, uint32Bytes(window)]));
  return copyBytes(mac.subarray(0, ROTATING_ID_BYTES));
}

/** HMAC-SHA256(key, label || uint32be(window)): every per-window derivation below. */
function labelled(
  sha256: Sha256,
  key: Uint8Array,
  label: Uint8Array,
  window: number,
): Uint8Array {
  return hmacSha256(sha256, key, concatBytes([label, uint32Bytes(window)]));
}

/** First 8 bytes of HMAC-SHA256(key, "urgence/rid/v1" || uint32be(window)). */
export function rotatingId(sha256: Sha256, key: Uint8Array, window: number): Uint8Array {
  return copyBytes(labelled(sha256, key, ROTATING_ID_LABEL, window).subarray(0, 8));
}

/**
 * A static random BLE address for the window (Core spec Vol 6 Part B §1.3.2.1: the two top
 * bits are 1 and the rest not all 0 or all 1), most significant byte first.
 */
export function rotatingAddress(
  sha256: Sha256,
  key: Uint8Array,
  window: number,
): Uint8Array {
  const mac = labelled(sha256, key, ADDRESS_LABEL, window);
  const address = copyBytes(mac.subarray(0, RANDOM_ADDRESS_BYTES));
  address[0] = address[0] | 0xc0;
  // All-ones is forbidden; flipping one low bit keeps the address random-looking.
  if (address[1] === 0xff && address[2] === 0xff && address[5] === 0xff)
    address[5] = 0xfe;
  return address;
}

/** external_aad of wearable frames and acks: the window number, 4 bytes big-endian. */
export function windowAad(window: number): Uint8Array {
  return uint32Bytes(window);
}

/**
 * The window's mask: HMAC-SHA256(key, "urgence/mask/v1" || uint32be(window)), 32 bytes.
 * Frames XOR their per-device bytes with it so a counter rising by one, a battery level or
 * a fault code cannot link one wearable's frames across windows; only a key holder can.
 */
export function windowMask(sha256: Sha256, key: Uint8Array, window: number): Uint8Array {
  return labelled(sha256, key, MASK_LABEL, window);
}
