// The post's button: one press raises at once, a repeat within repeatIgnoreMs is ignored
// (a panicked caller must not cancel or flood), and a button held past stuckButtonMs is
// reported once as a fault instead of producing alarms.
import type { DeviceHal, TimerHandle } from '../hal';

export interface PostPressTimings {
  repeatIgnoreMs: number;
  stuckButtonMs: number;
}

export interface PostPressEvents {
  onPress(): void;
  onIgnoredPress(): void;
  onStuck(): void;
  onUnstuck(): void;
}

export class PostPressPattern {
  private lastAcceptedMs = -1;
  private stuckTimer: TimerHandle | undefined = undefined;
  private stuck = false;

  constructor(
    private readonly hal: DeviceHal,
    private readonly timings: PostPressTimings,
    private readonly events: PostPressEvents,
  ) {}

  /** A button already down at boot counts toward "stuck" but raises nothing by itself. */
  start(): void {
    if (this.hal.buttonPressed() === true) this.armStuckTimer();
  }

  edge(pressed: boolean): void {
    if (pressed === false) {
      this.hal.cancel(this.stuckTimer);
      this.stuckTimer = undefined;
      if (this.stuck === true) {
        this.stuck = false;
        this.events.onUnstuck();
      }
      return;
    }

    this.armStuckTimer();
    const now = this.hal.nowMs();
    const repeat =
      this.lastAcceptedMs >= 0 && now - this.lastAcceptedMs < this.timings.repeatIgnoreMs;
    if (repeat === true) {
      this.events.onIgnoredPress();
      return;
    }
    this.lastAcceptedMs = now;
    this.events.onPress();
  }

  isStuck(): boolean {
    return this.stuck;
  }

  stop(): void {
    this.hal.cancel(this.stuckTimer);
    this.stuckTimer = undefined;
  }

  private armStuckTimer(): void {
    this.hal.cancel(this.stuckTimer);
    this.stuckTimer = this.hal.after(this.timings.stuckButtonMs, () => {
      this.stuckTimer = undefined;
      this.stuck = true;
      this.events.onStuck();
    });
  }
}
