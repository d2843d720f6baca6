// From an uplink envelope to a verified device message, or the reason it is refused:
// resolve the device (kid for posts, rotating id for wearables), check it may speak on
// that link, and verify the COSE tag with every key it currently holds.
import {
  readWearableFrame,
  unmaskWearableFrame,
  hexFromBytes,
  mac0Decode,
  MessageType,
  openMessage,
  rebuildMac0,
  windowAad,
} from '@urgence/protocol';
import type { DeviceMessage } from '@urgence/protocol';
import type { DeviceRecord, Registry } from '../registry/index';
import type { UplinkEnvelope } from './envelope';
import type { RejectionReason } from './counters';
import type { WearableIndex } from './wearables';
import { sha256 } from './crypto';

export interface VerifiedMessage {
  readonly device: DeviceRecord;
  readonly message: Exclude<DeviceMessage, { type: 6 }>;
  /** The COSE tag: with the counter it identifies one message for deduplication. */
  readonly tag: Uint8Array;
  /** A wearable's rotation window the frame was resolved in. */
  readonly window?: number;
  /** Verified with the key a rotation replaced: acks must use that key too. */
  readonly onPreviousKey: boolean;
}

export type Verdict =
  | { ok: true; verified: VerifiedMessage }
  | { ok: false; reason: RejectionReason; detail: string; deviceId?: string };

function refuse(reason: RejectionReason, detail: string, deviceId?: string): Verdict {
  return { ok: false, reason, detail, ...(deviceId === undefined ? {} : { deviceId }) };
}

/** Protocol error codes that mean "not the device's key" or "no such device". */
function reasonOf(code: string): RejectionReason {
  if (code === 'bad-tag') return 'bad-tag';
  if (code === 'unknown-device') return 'unknown-device';
  return 'malformed';
}

/**
 * Tries the device's keys one at a time (current first, then the one a rotation replaced,
 * during its grace) so the ack can be signed with the key the device still holds.
 */
function open(
  registry: Registry,
  bytes: Uint8Array,
  now: number,
  externalAad: Uint8Array | undefined,
): Verdict {
  const mac0 = mac0Decode(bytes);
  if (!mac0.ok) return refuse('malformed', mac0.error.message);
  const kid = hexFromBytes(mac0.value.kid);
  const device = registry.getDevice(kid);
  const keys = device === undefined ? [] : registry.keysOf(device, now);
  let failure: Verdict = refuse('unknown-device', 'no key for this kid', device?.id);
  for (let index = 0; index < keys.length; index += 1) {
    const opened = openMessage(sha256, bytes, () => keys[index], externalAad);
    if (opened.ok) {
      if (device === undefined) break;
      const message = opened.value.message;
      if (message.type === MessageType.Ack) {
        return refuse('not-allowed', 'devices do not send acks', device.id);
      }
      const onPreviousKey = index > 0;
      return {
        ok: true,
        verified: { device, message, tag: mac0.value.tag, onPreviousKey },
      };
    }
    failure = refuse(reasonOf(opened.error.code), opened.error.message, device?.id);
    if (opened.error.code !== 'bad-tag') break;
  }
  return failure;
}

/** Verifies one uplink frame; never throws on bad input. */
export function verifyUplink(
  envelope: UplinkEnvelope,
  registry: Registry,
  wearables: WearableIndex,
  now: number,
): Verdict {
  if (envelope.link === 'serial') {
    const verdict = open(registry, envelope.frame, now, undefined);
    if (verdict.ok && verdict.verified.device.kind !== 'post') {
      return refuse(
        'not-allowed',
        'only posts speak on a serial link',
        verdict.verified.device.id,
      );
    }
    return verdict;
  }
  const onAir = readWearableFrame(envelope.frame);
  if (!onAir.ok) return refuse('malformed', onAir.error.message);
  const resolved = wearables.resolve(onAir.value.rotatingId, now);
  if (resolved === undefined) return refuse('unknown-device', 'rotating id not resolved');
  // The counter and battery travel masked under the window's key-derived mask; with the
  // resolved key, fields that make no sense mean the frame was altered on the way.
  const frame = unmaskWearableFrame(sha256, resolved.key, resolved.window, onAir.value);
  if (!frame.ok) {
    return refuse(
      'bad-tag',
      `masked fields invalid: ${frame.error.message}`,
      resolved.deviceId,
    );
  }
  const verdict = open(
    registry,
    rebuildMac0(frame.value, resolved.deviceId),
    now,
    windowAad(resolved.window),
  );
  if (!verdict.ok) return verdict;
  if (verdict.verified.device.kind !== 'wearable') {
    return refuse('not-allowed', 'only wearables speak on BLE', resolved.deviceId);
  }
  return { ok: true, verified: { ...verdict.verified, window: resolved.window } };
}
