// The post's own health, sampled every sensePollMs: tamper switch, mains (on battery at
// once, mains lost once the outage lasts), battery low with hysteresis, and the intercom's
// call line. Each change becomes one fault report (raised or cleared), never a stream.
import type { PostHal } from '../hal';

export interface SenseTimings {
  sensePollMs: number;
  batteryLowVolts: number;
  mainsLostAfterMs: number;
}

/** Fault names as the post reports them; logic/post-wire.ts maps them to FaultCode. */
export type PostFault =
  'tamper' | 'onBattery' | 'mainsLost' | 'lowBattery' | 'selfTestFailed' | 'stuckButton';

/** Battery must rise this far above the threshold before "low" clears (lead-acid recovery). */
const BATTERY_HYSTERESIS_VOLTS = 0.5;

export class PostSense {
  tamper = false;
  onBattery = false;
  mainsLost = false;
  lowBattery = false;
  inCall = false;
  private mainsGoneAtMs = -1;

  constructor(
    private readonly hal: PostHal,
    private readonly t: SenseTimings,
    private readonly report: (fault: PostFault, active: boolean) => void,
    private readonly onCallState: (inCall: boolean) => void,
  ) {}

  /** One sample of every line; called by the controller's poll timer. */
  sample(): void {
    const tamper = this.hal.tamperOpen();
    if (tamper !== this.tamper) {
      this.tamper = tamper;
      this.report('tamper', tamper);
    }

    const mains = this.hal.mainsPresent();
    const now = this.hal.nowMs();
    if (mains === false && this.onBattery === false) {
      this.onBattery = true;
      this.mainsGoneAtMs = now;
      this.report('onBattery', true);
    }
    if (mains === false && this.mainsLost === false) {
      if (now - this.mainsGoneAtMs >= this.t.mainsLostAfterMs) {
        this.mainsLost = true;
        this.report('mainsLost', true);
      }
    }
    if (mains === true && this.onBattery === true) {
      this.onBattery = false;
      this.report('onBattery', false);
      if (this.mainsLost === true) {
        this.mainsLost = false;
        this.report('mainsLost', false);
      }
    }

    const volts = this.hal.batteryVolts();
    if (this.lowBattery === false && volts < this.t.batteryLowVolts) {
      this.lowBattery = true;
      this.report('lowBattery', true);
    }
    if (
      this.lowBattery === true &&
      volts >= this.t.batteryLowVolts + BATTERY_HYSTERESIS_VOLTS
    ) {
      this.lowBattery = false;
      this.report('lowBattery', false);
    }

    const inCall = this.hal.intercomInCall();
    if (inCall !== this.inCall) {
      this.inCall = inCall;
      this.onCallState(inCall);
    }
  }
}
