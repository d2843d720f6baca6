// The post's own health, sampled every sensePollMs: tamper switch, mains (on battery at
// once, mains lost once the outage lasts), battery low with hysteresis, and the intercom's
// call line. Each change becomes one fault report (raised or cleared), never a stream; a
// change of the call line is handed to onCall (the controller reports it in a heartbeat).
import type { PostHal } from '../hal';

export interface SenseTimings {
  batteryLowVolts: number;
  mainsLostAfterMs: number;
}

/** Fault names as the post reports them; logic/post-wire.ts maps them to FaultCode. */
export type PostFault =
  'tamper' | 'onBattery' | 'mainsLost' | 'lowBattery' | 'selfTestFailed' | 'stuckButton';

export interface SenseState {
  tamper: boolean;
  onBattery: boolean;
  lowBattery: boolean;
  inCall: boolean;
}

/** Battery must rise this far above the threshold before "low" clears (lead-acid recovery). */
const BATTERY_HYSTERESIS_VOLTS = 0.5;

/** Returns the sampler; `state` is updated in place and read by heartbeats and info. */
export function postSense(
  hal: PostHal,
  t: SenseTimings,
  state: SenseState,
  report: (fault: PostFault, active: boolean) => void,
  onCall: () => void,
): () => void {
  let mainsLost = false;
  let mainsGoneAtMs = -1;

  return () => {
    const tamper = hal.tamperOpen();
    if (tamper !== state.tamper) {
      state.tamper = tamper;
      report('tamper', tamper);
    }

    const mains = hal.mainsPresent();
    const now = hal.nowMs();
    if (mains === false && state.onBattery === false) {
      state.onBattery = true;
      mainsGoneAtMs = now;
      report('onBattery', true);
    }
    if (
      mains === false &&
      mainsLost === false &&
      now - mainsGoneAtMs >= t.mainsLostAfterMs
    ) {
      mainsLost = true;
      report('mainsLost', true);
    }
    if (mains === true && state.onBattery === true) {
      state.onBattery = false;
      report('onBattery', false);
      if (mainsLost === true) {
        mainsLost = false;
        report('mainsLost', false);
      }
    }

    const volts = hal.batteryVolts();
    if (state.lowBattery === false && volts < t.batteryLowVolts) {
      state.lowBattery = true;
      report('lowBattery', true);
    }
    if (
      state.lowBattery === true &&
      volts >= t.batteryLowVolts + BATTERY_HYSTERESIS_VOLTS
    ) {
      state.lowBattery = false;
      report('lowBattery', false);
    }

    const inCall = hal.intercomInCall();
    if (inCall !== state.inCall) {
      state.inCall = inCall;
      hal.note('intercom ' + (inCall === true ? 'in call' : 'idle'));
      onCall();
    }
  };
}
