// The wearable's behaviour: trigger → pre-alarm (one press cancels, EN 50134-2) → alarm
// advertised fast then slower until a valid signed ack or the time-out; supervision and
// low-battery bursts in between. The radio is silent otherwise: nothing static goes on air.
// A closure rather than a class: the wearable bundle has 8 KB and local names minify.
import type { WearableConfig } from '../config/defaults';
import type { TimerHandle, WearableHal } from '../hal';
import type { MessageCounter } from './counter';
import {
  FAULT_LOW_BATTERY,
  FAULT_SELF_TEST_FAILED,
  TYPE_ALARM,
  TYPE_FAULT,
  TYPE_HEARTBEAT,
  TYPE_TEST_ALARM,
} from '@urgence/protocol';
import { wearablePress } from './press-wearable';
import { ALARM, BURST, IDLE, PRE_ALARM, STAGE_NAMES } from './wearable-stages';

/** What goes on air, built by protocol/ (logic/wearable-wire.ts): kept behind this seam. */
export interface WearableWire {
  /** Manufacturer data (after the company id) for this window, counter and event; fault:
   * the FaultCode a Fault frame names. */
  frame(window: number, counter: number, event: WearableEvent, fault: number): Uint8Array;
  /** Random static BLE address of this window (derived from the key: unlinkable). */
  address(window: number): Uint8Array;
  /** True only for an ack signed with our key, for our rotating id and this counter. */
  isAckFor(manufacturerData: Uint8Array, window: number, counter: number): boolean;
  windowOf(unixSeconds: number): number;
  /** Seconds at which `window` starts. */
  windowStart(window: number): number;
}

/** What a frame announces (a MessageType): Alarm, TestAlarm, Heartbeat (supervision) or
 * Fault (low battery, or a Storage that refused a write). */
export type WearableEvent = number;

export type WearableStage = 'idle' | 'preAlarm' | 'alarm' | 'burst';

export interface WearableState {
  stage: WearableStage;
  lowBattery: boolean;
  counter: number;
}

export interface Wearable {
  start(): void;
  stop(): void;
  state(): WearableState;
  /**
   * The technician's test (urgence.testAlarm()): a TestAlarm advertised exactly as an
   * alarm (no pre-alarm: nobody is in danger), until acked or timed out. False while a
   * pre-alarm or an alarm is on: a test never displaces a real call.
   */
  testAlarm(): boolean;
}

export const WEARABLE_ALARM_FILE = 'urgence.alm';

/** What urgence.alm holds during an alarm: counter, start (unix s), event (MessageType). */
type SavedAlarm = { c: number; s: number; e?: number };

export function createWearable(
  hal: WearableHal,
  t: WearableConfig,
  wire: WearableWire,
  counter: MessageCounter,
): Wearable {
  let stage = IDLE;
  let lowBattery = false;
  let onAir = -1;
  let event: WearableEvent = TYPE_ALARM;
  let fault = FAULT_LOW_BATTERY;
  let window = 0;
  let intervalMs = 0;
  /**
   * Timers of the current stage, all cancelled by quiet(). A one-shot leaves the list as it
   * fires: an id Espruino has freed may be handed to another timer, so a stale one must
   * never be cancelled.
   */
  let timers: TimerHandle[] = [];
  const periodic: TimerHandle[] = [];

  const later = (ms: number, run: () => void): void => {
    const timer = hal.after(ms, () => {
      timers.splice(timers.indexOf(timer), 1);
      run();
    });
    timers.push(timer);
  };

  const advertiseNow = (): void => {
    hal.advertise(wire.frame(window, onAir, event, fault), intervalMs);
  };

  /** Address and frame of the current window, re-derived at each window boundary. */
  const goOnAir = (): void => {
    const nowSeconds = hal.unixSeconds();
    window = wire.windowOf(nowSeconds);
    hal.useAddress(wire.address(window));
    advertiseNow();
    later((wire.windowStart(window + 1) - nowSeconds) * 1000, goOnAir);
  };

  /** Radio off, every stage timer cleared, lamps dark: the resting state. */
  const quiet = (): void => {
    hal.stopScan();
    hal.stopAdvertising();
    for (const timer of timers) hal.cancel(timer);
    timers = [];
    hal.lamp('red', false);
    hal.lamp('green', false);
    stage = IDLE;
  };

  const blinkRed = (periodMs: number): void => {
    let on = false;
    timers.push(
      hal.every(periodMs, () => {
        on = !on;
        hal.lamp('red', on);
      }),
    );
  };

  /** One flash of feedback; its short timer clears itself. */
  const flash = (lamp: 'red' | 'green', ms: number): void => {
    hal.lamp(lamp, true);
    hal.after(ms, () => hal.lamp(lamp, false));
  };

  /** Acked: green and vibration tell the wearer help knows; timed out: a red flash. */
  const endAlarm = (acked: boolean): void => {
    quiet();
    hal.eraseFile(WEARABLE_ALARM_FILE);
    if (acked) {
      flash('green', 3000);
      hal.vibrate(500);
    } else {
      flash('red', 1000);
    }
  };

  const startAlarm = (
    alarmCounter: number,
    what: WearableEvent,
    timeoutMs: number,
  ): void => {
    quiet();
    stage = ALARM;
    onAir = alarmCounter;
    event = what;
    intervalMs = t.fastAdvertMs;
    goOnAir();
    blinkRed(1000);
    hal.startScan((data) => {
      if (stage === ALARM && wire.isAckFor(data, window, onAir)) endAlarm(true);
    });
    later(t.fastPhaseMs, () => {
      intervalMs = t.slowAdvertMs;
      advertiseNow();
    });
    later(timeoutMs, () => endAlarm(false));
  };

  /**
   * Counter into flash first: a reboot during the alarm resumes it with this counter. A full
   * Storage refuses it, and the alarm goes on air from RAM all the same.
   */
  const raise = (what: WearableEvent): void => {
    const alarmCounter = counter.next();
    const saved: SavedAlarm = { c: alarmCounter, s: hal.unixSeconds(), e: what };
    hal.saveJson(WEARABLE_ALARM_FILE, saved);
    startAlarm(alarmCounter, what, t.alarmTimeoutMs);
  };

  const calling = (): boolean => stage === PRE_ALARM || stage === ALARM;

  /** The pre-alarm: red blinking for preAlarmMs, then the alarm unless cancelled. */
  const trigger = (): void => {
    if (calling()) return;
    quiet();
    stage = PRE_ALARM;
    blinkRed(250);
    later(t.preAlarmMs, () => raise(TYPE_ALARM));
  };

  const press = wearablePress(hal, t, trigger, () => {
    if (stage !== PRE_ALARM) return;
    quiet();
    press.reset();
    flash('green', 500);
  });

  /** A short burst of one frame (supervision or low battery), skipped during an alarm. */
  const burst = (what: WearableEvent): void => {
    if (stage !== IDLE) return;
    stage = BURST;
    onAir = counter.next();
    event = what;
    // Low battery first: the wearer can fix it. The catalogue has no storage code: a refused
    // write is the self-test's fault, as on the post.
    fault = lowBattery ? FAULT_LOW_BATTERY : FAULT_SELF_TEST_FAILED;
    intervalMs = t.supervisionAdvertMs;
    goOnAir();
    later(t.supervisionBurstMs, quiet);
  };

  const supervise = (): void =>
    burst(lowBattery || hal.writeRefused ? TYPE_FAULT : TYPE_HEARTBEAT);

  const checkBattery = (): void => {
    const low = hal.batteryVolts() < t.lowBatteryVolts;
    const newlyLow = low && !lowBattery;
    lowBattery = low;
    if (newlyLow) burst(TYPE_FAULT);
  };

  const start = (): void => {
    // Espruino boots (power-on, reset, watchdog) advertising its name, connectable, from
    // a fixed address: a beacon that would follow the wearer. Off before anything else.
    quiet();
    hal.startWatchdog(t.watchdogSeconds);
    periodic.push(hal.every(t.watchdogKickMs, () => hal.feedWatchdog()));
    periodic.push(hal.every(t.supervisionEveryMs, supervise));
    periodic.push(hal.every(t.batteryCheckMs, checkBattery));
    hal.watchButton(press.edge);

    const saved = hal.loadJson(WEARABLE_ALARM_FILE) as SavedAlarm | undefined;
    // A clock behind the saved start means the RTC was lost (battery out): count nothing
    // elapsed, so the alarm gets its full time rather than none.
    const sinceMs = saved === undefined ? 0 : (hal.unixSeconds() - saved.s) * 1000;
    const elapsedMs = sinceMs > 0 ? sinceMs : 0;
    if (saved !== undefined && elapsedMs < t.alarmTimeoutMs) {
      hal.note('resumed alarm ' + saved.c);
      startAlarm(
        saved.c,
        saved.e === undefined ? TYPE_ALARM : saved.e,
        t.alarmTimeoutMs - elapsedMs,
      );
      return;
    }
    hal.eraseFile(WEARABLE_ALARM_FILE);
    // First supervision at once: the gateway learns the wearable is back (and whether its
    // battery is low) under this window's rotating id, not under any boot-time name.
    checkBattery();
    supervise();
  };

  const stop = (): void => {
    quiet();
    press.reset();
    for (const timer of periodic) hal.cancel(timer);
    periodic.length = 0;
  };

  const state = (): WearableState => ({
    stage: STAGE_NAMES[stage] as WearableStage,
    lowBattery: lowBattery,
    counter: counter.peek(),
  });

  const testAlarm = (): boolean => {
    if (calling()) return false;
    raise(TYPE_TEST_ALARM);
    return true;
  };

  return { start: start, stop: stop, state: state, testAlarm: testAlarm };
}
