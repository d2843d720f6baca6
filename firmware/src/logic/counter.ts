// The device's message counter, never reused across reboots, written to flash only every
// `step` values so Storage's journal is not worn: protocol's counterOnBoot/mustPersist rule
// (OSCORE, RFC 8613 appendix B.1.1). 2^32 values at one a minute last 8,000 years, so
// exhaustion is not handled here.
import { counterOnBoot, mustPersist } from '@urgence/protocol';
import type { DeviceHal } from '../hal';

export const COUNTER_FILE = 'urgence.ctr';
/**
 * The second copy. Each persist overwrites the older copy, so a file lost or torn while
 * being written (a power cut, or a full journal: Storage drops the old copy when the new
 * one cannot be written) leaves the other whole, one step behind the promise being written.
 */
export const COUNTER_SPARE_FILE = COUNTER_FILE + '2';

export type MessageCounter = {
  /** The counter for the next message; persists first when it would leave the window. */
  next: () => number;
  /** The value next() will return (for urgence.info()). */
  peek: () => number;
};

/** The value a copy promises, or -1 when it is missing or unreadable. */
function promised(hal: DeviceHal, file: string): number {
  const stored = hal.loadJson(file);
  const valid =
    typeof stored === 'number' && stored >= 0 && stored === Math.floor(stored);
  return valid ? (stored as number) : -1;
}

export function createMessageCounter(hal: DeviceHal, step: number): MessageCounter {
  const main = promised(hal, COUNTER_FILE);
  const spare = promised(hal, COUNTER_SPARE_FILE);
  const newest = main > spare ? main : spare;
  // Every counter used is below the newest copy + 2 steps, even when the copy being written
  // was lost: never reused, at the price of one step skipped per boot. No copy at all is a
  // first boot (or a new key): 0. Known limit: both copies lost at once (two failures) also
  // reads as a first boot.
  let nextValue = newest < 0 ? 0 : counterOnBoot(newest, 2 * step);
  let persisted = nextValue;
  let intoSpare = main > spare;
  const persist = (value: number): void => {
    hal.saveJson(intoSpare ? COUNTER_SPARE_FILE : COUNTER_FILE, value);
    intoSpare = !intoSpare;
    persisted = value;
  };
  // Both copies at boot, so even a first boot leaves one whole if the other is lost.
  persist(nextValue);
  persist(nextValue);
  return {
    next: () => {
      const value = nextValue;
      if (mustPersist(value, persisted, step)) persist(value);
      nextValue = value + 1;
      return value;
    },
    peek: () => nextValue,
  };
}
