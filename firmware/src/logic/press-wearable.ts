// The wearable's button: a hold of holdMs, or multiPressCount presses within
// multiPressWindowMs, triggers; any other press is passed on (it cancels a pre-alarm).
// Written as a closure: the wearable bundle has 8 KB, and local names minify, fields do not.
import type { DeviceHal, TimerHandle } from '../hal';

export interface WearablePressTimings {
  holdMs: number;
  multiPressCount: number;
  multiPressWindowMs: number;
}

export interface WearablePress {
  /** Feed each debounced edge (true = pressed). */
  edge(pressed: boolean): void;
  /** Forget partial patterns (after a cancel or an alarm's end). */
  reset(): void;
}

/** onTrigger gets 'hold' or 'multi'; onPlainPress every press that completed nothing. */
export function wearablePress(
  hal: DeviceHal,
  t: WearablePressTimings,
  onTrigger: (how: string) => void,
  onPlainPress: () => void,
): WearablePress {
  const n = t.multiPressCount;
  // Times of the last n presses, oldest first; preallocated, nothing allocated per press.
  const pressTimes: number[] = [];
  for (let i = 0; i < n; i++) pressTimes.push(0);
  let pressCount = 0;
  let holdTimer: TimerHandle | undefined = undefined;

  const reset = (): void => {
    pressCount = 0;
    hal.cancel(holdTimer);
    holdTimer = undefined;
  };

  const edge = (pressed: boolean): void => {
    if (!pressed) {
      hal.cancel(holdTimer);
      holdTimer = undefined;
      return;
    }
    holdTimer = hal.after(t.holdMs, () => {
      holdTimer = undefined;
      pressCount = 0;
      onTrigger('hold');
    });
    const now = hal.nowMs();
    for (let i = 1; i < n; i++) pressTimes[i - 1] = pressTimes[i];
    pressTimes[n - 1] = now;
    if (pressCount < n) pressCount++;
    if (pressCount >= n && now - pressTimes[0] <= t.multiPressWindowMs) {
      reset();
      onTrigger('multi');
      return;
    }
    onPlainPress();
  };

  return { edge: edge, reset: reset };
}
