// The device's message counter, never reused across reboots, written to flash only every
// `step` values so Storage's journal is not worn (OSCORE's rule, RFC 8613 appendix B.1.1):
// a counter is used only once a persisted value within `step` below it is on flash, and a
// reboot resumes at persisted + step.
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
    this.nextValue = valid === true ? (stored as number) + step : 0;
    this.persisted = this.nextValue;
    hal.writeJSON(COUNTER_FILE, this.persisted);
  }

  /** The counter for the next message; persists first when it would leave the window. */
  next(): number {
    const value = this.nextValue;
    if (value >= this.persisted + this.step) {
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
