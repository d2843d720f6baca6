// The device's message counter, never reused across reboots, written to flash only every
// `step` values so Storage's journal is not worn: protocol's counterOnBoot/mustPersist rule
// (OSCORE, RFC 8613 appendix B.1.1), written out here because a call costs the wearable
// bundle bytes it does not have. 2^32 values at one a minute last 8,000 years, so
// exhaustion is not handled here.
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
  // was lost: never reused, at the price of one step skipped per boot. A copy alone also
  // means a write was refused (Storage full: see persist) and the counter may have run up to
  // 65,536 past its promise in RAM: jump over that too (45 days of a post's heartbeats on a
  // full Storage; 2^32 allows 65,536 such boots). No copy at all is a first boot
  // (or a new key): 0. Known limits: both copies lost at once (two failures) also reads as a
  // first boot, and so does a first boot on a full Storage; a second reboot before any
  // write succeeds resumes where the first did.
  const jump = main < 0 || spare < 0 ? 65536 : 0;
  let nextValue = newest < 0 ? 0 : newest + 2 * step + jump;
  /** The value whose use must write first: mustPersist's persisted + step. */
  let due = nextValue;
  let intoSpare = main > spare;
  // A refused write leaves the newest copy untouched (the target moves on only after a
  // success) and erases its own target, whatever Storage did with it: the next boot sees a
  // copy alone and jumps. The counter goes on in RAM, so the alarm still goes out, and
  // tries again a step later, not at each message: each refused write makes Storage
  // compact first, and compaction erases flash pages.
  const persist = (value: number): void => {
    const target = intoSpare ? COUNTER_SPARE_FILE : COUNTER_FILE;
    due = value + step;
    if (!hal.saveJson(target, value)) {
      hal.eraseFile(target);
      return;
    }
    intoSpare = !intoSpare;
  };
  // Both copies at boot, so even a first boot leaves one whole if the other is lost.
  persist(nextValue);
  persist(nextValue);
  return {
    next: () => {
      const value = nextValue;
      // mustPersist: this value would break the promise of the persisted one.
      if (value >= due) persist(value);
      nextValue = value + 1;
      return value;
    },
    peek: () => nextValue,
  };
}
