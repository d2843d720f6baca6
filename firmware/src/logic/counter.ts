// The device's message counter, never reused across reboots, written to flash only every
// `step` values so Storage's journal is not worn: protocol's counterOnBoot/mustPersist rule
// (OSCORE, RFC 8613 appendix B.1.1). 2^32 values at one a minute last 8,000 years, so
// exhaustion is not handled here.
import { counterOnBoot, mustPersist } from '@urgence/protocol';
import type { DeviceHal } from '../hal';

export const COUNTER_FILE = 'urgence.ctr';

export type MessageCounter = {
  /** The counter for the next message; persists first when it would leave the window. */
  next: () => number;
  /** The value next() will return (for urgence.info()). */
  peek: () => number;
};

export function createMessageCounter(hal: DeviceHal, step: number): MessageCounter {
  const stored = hal.loadJson(COUNTER_FILE);
  const valid =
    typeof stored === 'number' && stored >= 0 && stored === Math.floor(stored);
  // First boot (nothing stored) starts at 0, and 0 is persisted before it is used.
  let nextValue = valid ? counterOnBoot(stored as number, step) : 0;
  let persisted = nextValue;
  hal.saveJson(COUNTER_FILE, persisted);
  return {
    next: () => {
      const value = nextValue;
      if (mustPersist(value, persisted, step)) {
        persisted = value;
        hal.saveJson(COUNTER_FILE, value);
      }
      nextValue = value + 1;
      return value;
    },
    peek: () => nextValue,
  };
}
