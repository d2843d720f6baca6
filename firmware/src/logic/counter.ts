// The device's message counter, never reused across reboots, written to flash only every
// `step` values so Storage's journal is not worn: protocol's counterOnBoot/mustPersist rule
// (OSCORE, RFC 8613 appendix B.1.1). 2^32 values at one a minute last 8,000 years, so
// exhaustion is not handled here.
import { counterOnBoot, mustPersist } from '@urgence/protocol';
import type { DeviceHal } from '../hal';

export const COUNTER_FILE = 'urgence.ctr';

export class MessageCounter {
  private nextValue: number;
  private persisted: number;

  constructor(
    private readonly hal: DeviceHal,
    private readonly step: number,
  ) {
    const stored = hal.readJSON(COUNTER_FILE);
    const valid =
      typeof stored === 'number' && stored >= 0 && stored === Math.floor(stored);
    // First boot (nothing stored) starts at 0, and 0 is persisted before it is used.
    this.nextValue = valid === true ? counterOnBoot(stored as number, step) : 0;
    this.persisted = this.nextValue;
    hal.writeJSON(COUNTER_FILE, this.persisted);
  }

  /** The counter for the next message; persists first when it would leave the window. */
  next(): number {
    const value = this.nextValue;
    if (mustPersist(value, this.persisted, this.step) === true) {
      this.persisted = value;
      this.hal.writeJSON(COUNTER_FILE, value);
    }
    this.nextValue = value + 1;
    return value;
  }

  /** The value next() will return (for urgence.info()). */
  peek(): number {
    return this.nextValue;
  }
}
