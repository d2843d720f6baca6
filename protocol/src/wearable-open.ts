// The ingest's one call for a wearable frame heard by a gateway: decode it, resolve its
// rotating id to a device and window, unmask its fields with that device's key, and verify
// its tag under the same key.

import { readWearableFrame, unmaskWearableFrame, verifyWearableFrame } from './ble-frame';
import type { WearableFrame } from './ble-frame';
import { hexFromBytes } from './bytes';
import type { Sha256 } from './hmac';
import type { UplinkMessage } from './messages';
import type { ResolvedId } from './resolver';
import { fail, ok } from './result';
import type { Result } from './result';

export type OpenedWearableFrame = {
  deviceId: string;
  window: number;
  message: UplinkMessage;
  frame: WearableFrame;
};

export function openWearableFrame(
  sha256: Sha256,
  bytes: Uint8Array,
  resolver: { resolve: (rotatingId: Uint8Array) => ResolvedId | undefined },
): Result<OpenedWearableFrame> {
  const onAir = readWearableFrame(bytes);
  if (!onAir.ok) return onAir;
  const resolved = resolver.resolve(onAir.value.rotatingId);
  if (resolved === undefined) {
    return fail(
      'unknown-rotating-id',
      'rotating id ' + hexFromBytes(onAir.value.rotatingId) + ' matches no device now',
    );
  }
  const frame = unmaskWearableFrame(sha256, resolved.key, resolved.window, onAir.value);
  if (!frame.ok) return frame;
  if (!verifyWearableFrame(sha256, resolved.key, frame.value, resolved.window)) {
    return fail('bad-tag', 'wearable frame tag does not verify for ' + resolved.deviceId);
  }
  return ok({
    deviceId: resolved.deviceId,
    window: resolved.window,
    message: frame.value.message,
    frame: frame.value,
  });
}
