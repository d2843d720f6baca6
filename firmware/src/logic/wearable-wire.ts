// The wearable's frames and acks as protocol/ defines them: a 24-byte frame under the
// window's rotating id, a random static address derived from the same key and window, and
// acks accepted only when addressed to our id and tagged with our key.
import {
  TYPE_FAULT,
  ROTATION_SECONDS,
  sealWearableFrame,
  isWearableAckFor,
  rotatingAddress,
  windowOf,
} from '@urgence/protocol';
import type { Sha256, UplinkMessage } from '@urgence/protocol';
import type { WearableWire } from './wearable-alarm';

/** CR2032 state of charge from rest voltage, linear 2.0 V (0 %) to 3.0 V (100 %). */
export function coinCellPercent(volts: number): number {
  const percent = Math.round((volts - 2) * 100);
  return percent < 0 ? 0 : percent > 100 ? 100 : percent;
}

export function createWearableWire(
  sha256: Sha256,
  key: Uint8Array,
  batteryVolts: () => number,
): WearableWire {
  return {
    frame: (window, counter, event, fault) => {
      const message = {
        type: event,
        counter: counter,
        battery: coinCellPercent(batteryVolts()),
      } as UplinkMessage;
      // A wearable's faults: its own low battery (issue 3), or a Storage refusing writes.
      if (message.type === TYPE_FAULT) {
        message.fault = fault as typeof message.fault;
        message.active = true;
      }
      return sealWearableFrame(sha256, key, window, message);
    },
    address: (window) => rotatingAddress(sha256, key, window),
    isAckFor: (data, window, counter) =>
      // The gateway answers under the window it heard: ours, or the one just ended.
      isWearableAckFor(sha256, key, window, data, counter) ||
      isWearableAckFor(sha256, key, window - 1, data, counter),
    windowOf: windowOf,
    windowStart: (window) => window * ROTATION_SECONDS,
  };
}
