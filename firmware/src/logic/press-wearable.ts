// The wearable's button: a hold of holdMs, or multiPressCount presses within
// multiPressWindowMs, triggers; any other press is passed on (it cancels a pre-alarm).
import type { DeviceHal, TimerHandle } from '../hal';

export interface WearablePressTimings {
  holdMs: number;
  multiPressCount: number;
  multiPressWindowMs: number;
}

export interface WearablePressEvents {
  /** The pattern that starts a pre-alarm ('hold' or 'multi'). */
  onTrigger(how: string): void;
  /** A press that did not (yet) complete a pattern. */
  onPlainPress(): void;
}

export class WearablePressPattern {
  /** Times of the recent presses, oldest first; preallocated, no allocation per press. */
  private readonly pressTimes: number[] = [];
  private pressCount = 0;
  private holdTimer: TimerHandle | undefined = undefined;

  constructor(
    private readonly hal: DeviceHal,
    private readonly timings: WearablePressTimings,
    private readonly events: WearablePressEvents,
  ) {
    for (let i = 0; i < timings.multiPressCount; i++) this.pressTimes.push(0);
  }

  edge(pressed: boolean): void {
    if (pressed === false) {
      this.hal.cancel(this.holdTimer);
      this.holdTimer = undefined;
      return;
    }

    this.holdTimer = this.hal.after(this.timings.holdMs, () => {
      this.holdTimer = undefined;
      this.pressCount = 0;
      this.events.onTrigger('hold');
    });

    const now = this.hal.nowMs();
    const n = this.timings.multiPressCount;
    for (let i = 1; i < n; i++) this.pressTimes[i - 1] = this.pressTimes[i];
    this.pressTimes[n - 1] = now;
    if (this.pressCount < n) this.pressCount++;
    if (
      this.pressCount >= n &&
      now - this.pressTimes[0] <= this.timings.multiPressWindowMs
    ) {
      this.pressCount = 0;
      this.hal.cancel(this.holdTimer);
      this.holdTimer = undefined;
      this.events.onTrigger('multi');
      return;
    }
    this.events.onPlainPress();
  }

  /** Forget partial patterns (after a trigger is handled, a cancel, or an alarm's end). */
  reset(): void {
    this.pressCount = 0;
    this.hal.cancel(this.holdTimer);
    this.holdTimer = undefined;
  }
}
