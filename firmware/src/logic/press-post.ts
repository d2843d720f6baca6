// The post's button: one press raises at once, a repeat within repeatIgnoreMs is ignored
// (a panicked caller must not cancel or flood), and a button held past stuckButtonMs is
// reported once as a fault instead of producing alarms. A closure: local names minify.
import type { DeviceHal, PostHal, TimerHandle } from '../hal';

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

export interface PostPress {
  /** A button already down at boot counts toward "stuck" but raises nothing by itself. */
  start(): void;
  edge(pressed: boolean): void;
  isStuck(): boolean;
  stop(): void;
}

export function postPress(
  hal: DeviceHal & Pick<PostHal, 'buttonPressed'>,
  t: PostPressTimings,
  events: PostPressEvents,
): PostPress {
  let lastAcceptedMs = -1;
  let stuckTimer: TimerHandle | undefined = undefined;
  let stuck = false;

  const stop = (): void => {
    hal.cancel(stuckTimer);
    stuckTimer = undefined;
  };

  const armStuckTimer = (): void => {
    stop();
    stuckTimer = hal.after(t.stuckButtonMs, () => {
      stuckTimer = undefined;
      stuck = true;
      events.onStuck();
    });
  };

  const edge = (pressed: boolean): void => {
    if (pressed === false) {
      stop();
      if (stuck === true) {
        stuck = false;
        events.onUnstuck();
      }
      return;
    }
    armStuckTimer();
    const now = hal.nowMs();
    if (lastAcceptedMs >= 0 && now - lastAcceptedMs < t.repeatIgnoreMs) {
      events.onIgnoredPress();
      return;
    }
    lastAcceptedMs = now;
    events.onPress();
  };

  return {
    start: () => {
      if (hal.buttonPressed() === true) armStuckTimer();
    },
    edge: edge,
    isStuck: () => stuck,
    stop: stop,
  };
}
