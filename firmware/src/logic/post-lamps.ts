// What the post shows: amber steady while calling, green steady once dispatch has received
// the alarm, green flashing when help is coming, blue strobe throughout the alarm, and amber
// flashing fast whenever the gateway cannot be reached. One 250 ms tick drives every blink
// and runs only while something blinks.
import type { PostHal, TimerHandle } from '../hal';

export type PostStage = 'idle' | 'calling' | 'received' | 'helpComing';

const TICK_MS = 250;

/** Returns show(stage, unreachable); show('idle', false) stops the tick. */
export function postLamps(
  hal: PostHal,
): (stage: PostStage, unreachable: boolean) => void {
  let stage: PostStage = 'idle';
  let unreachable = false;
  let phase = 0;
  let ticker: TimerHandle | undefined = undefined;

  const tick = (): void => {
    phase = (phase + 1) & 7;
    const fast = (phase & 1) === 0;
    const slow = (phase & 2) === 0;
    hal.lamp('calling', unreachable === true ? fast : stage === 'calling');
    hal.lamp(
      'received',
      stage === 'received' || (stage === 'helpComing' && slow === true),
    );
    // Strobe: two short flashes per two seconds, the usual rhythm of an emergency beacon.
    hal.lamp('strobe', stage !== 'idle' && (phase === 0 || phase === 2));
  };

  return (newStage, newUnreachable) => {
    stage = newStage;
    unreachable = newUnreachable;
    const blinking = stage !== 'idle' || unreachable === true;
    if (blinking === true && ticker === undefined) ticker = hal.every(TICK_MS, tick);
    if (blinking === false) {
      hal.cancel(ticker);
      ticker = undefined;
    }
    tick();
  };
}
