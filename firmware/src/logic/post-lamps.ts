// What the post shows: amber steady while calling, green steady once dispatch has received
// the alarm, green flashing when help is coming, blue strobe throughout the alarm, and amber
// flashing fast whenever the gateway cannot be reached. One 250 ms tick drives every blink
// and runs only while something blinks.
import type { PostHal, TimerHandle } from '../hal';

export type PostStage = 'idle' | 'calling' | 'received' | 'helpComing';

const TICK_MS = 250;

export class PostLamps {
  private stage: PostStage = 'idle';
  private unreachable = false;
  private phase = 0;
  private ticker: TimerHandle | undefined = undefined;

  constructor(private readonly hal: PostHal) {}

  show(stage: PostStage, unreachable: boolean): void {
    this.stage = stage;
    this.unreachable = unreachable;
    const blinking = stage !== 'idle' || unreachable === true;
    if (blinking === true && this.ticker === undefined) {
      this.ticker = this.hal.every(TICK_MS, () => this.tick());
    }
    if (blinking === false) this.stop();
    this.tick();
  }

  stop(): void {
    this.hal.cancel(this.ticker);
    this.ticker = undefined;
    this.hal.lamp('calling', false);
    this.hal.lamp('received', false);
    this.hal.lamp('strobe', false);
  }

  private tick(): void {
    this.phase = (this.phase + 1) & 7;
    const s = this.stage;
    const fast = (this.phase & 1) === 0;
    const slow = (this.phase & 2) === 0;
    const calling = this.unreachable === true ? fast : s === 'calling';
    const received = s === 'received' || (s === 'helpComing' && slow === true);
    this.hal.lamp('calling', calling);
    this.hal.lamp('received', received);
    // Strobe: two short flashes per two seconds, the usual rhythm of an emergency beacon.
    this.hal.lamp('strobe', s !== 'idle' && (this.phase === 0 || this.phase === 2));
  }
}
