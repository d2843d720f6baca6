// The wearable's behaviour: trigger → pre-alarm (one press cancels, EN 50134-2) → alarm
// advertised fast then slower until a valid signed ack or the time-out; supervision and
// low-battery bursts in between. The radio is silent otherwise: nothing static goes on air.
import type { WearableConfig } from '../config/defaults';
import type { TimerHandle, WearableHal } from '../hal';
import type { MessageCounter } from './counter';
import { WearablePressPattern } from './press-wearable';

/** What goes on air, built by protocol/ (logic/wearable-wire.ts): kept behind this seam. */
export interface WearableWire {
  /** Manufacturer data (after the company id) for this window, counter and event. */
  frame(window: number, counter: number, event: WearableEvent): Uint8Array;
  /** Random static BLE address of this window (derived from the key: unlinkable). */
  address(window: number): Uint8Array;
  /** True only for an ack signed with our key, for our rotating id and this counter. */
  isAckFor(manufacturerData: Uint8Array, window: number, counter: number): boolean;
  windowOf(unixSeconds: number): number;
  /** Seconds at which `window` starts. */
  windowStart(window: number): number;
}

/** What a frame announces: an alarm, a supervision heartbeat, or a low battery. */
export type WearableEvent = 'alarm' | 'heartbeat' | 'lowBattery';

export const WEARABLE_ALARM_FILE = 'urgence.alm';

export type WearableStage = 'idle' | 'preAlarm' | 'alarm' | 'burst';

export class WearableAlarm {
  stage: WearableStage = 'idle';
  lastEnd = '';
  lowBattery = false;
  private readonly press: WearablePressPattern;
  private counterValue = -1;
  private event: WearableEvent = 'alarm';
  private window = 0;
  private intervalMs = 0;
  private stageTimer: TimerHandle | undefined = undefined;
  private fastTimer: TimerHandle | undefined = undefined;
  private windowTimer: TimerHandle | undefined = undefined;
  private blinkTimer: TimerHandle | undefined = undefined;
  private readonly periodic: TimerHandle[] = [];

  constructor(
    private readonly hal: WearableHal,
    private readonly t: WearableConfig,
    private readonly wire: WearableWire,
    private readonly counter: MessageCounter,
  ) {
    this.press = new WearablePressPattern(hal, t, {
      onTrigger: () => this.trigger(),
      onPlainPress: () => this.plainPress(),
    });
  }

  start(): void {
    this.hal.enableWatchdog(this.t.watchdogSeconds);
    this.periodic.push(
      this.hal.every(this.t.watchdogKickMs, () => this.hal.kickWatchdog()),
    );
    this.periodic.push(this.hal.every(this.t.supervisionEveryMs, () => this.supervise()));
    this.periodic.push(this.hal.every(this.t.batteryCheckMs, () => this.checkBattery()));
    this.hal.watchButton((pressed) => this.press.edge(pressed));

    const saved = this.hal.readJSON(WEARABLE_ALARM_FILE) as
      { c: number; s: number } | undefined;
    const elapsedMs = saved === undefined ? 0 : (this.hal.unixSeconds() - saved.s) * 1000;
    if (saved !== undefined && elapsedMs < this.t.alarmTimeoutMs) {
      this.hal.print('alarm resumed after reboot, counter ' + saved.c);
      this.startAlarm(saved.c, this.t.alarmTimeoutMs - elapsedMs);
      return;
    }
    this.hal.erase(WEARABLE_ALARM_FILE);
    // Espruino's own connectable advert stays on for maintenanceMs after a battery change so
    // a technician can reach the console (urgence.info()); the first burst then silences it.
    this.periodic.push(
      this.hal.after(this.t.maintenanceMs, () => {
        this.checkBattery();
        if (this.stage === 'idle') this.supervise();
      }),
    );
  }

  /** The pre-alarm: red blinking for preAlarmMs, then the alarm unless cancelled. */
  private trigger(): void {
    if (this.stage === 'preAlarm' || this.stage === 'alarm') return;
    this.quiet();
    this.stage = 'preAlarm';
    this.blink('red', 250);
    this.stageTimer = this.hal.after(this.t.preAlarmMs, () => {
      this.stageTimer = undefined;
      const counter = this.counter.next();
      this.hal.writeJSON(WEARABLE_ALARM_FILE, { c: counter, s: this.hal.unixSeconds() });
      this.startAlarm(counter, this.t.alarmTimeoutMs);
    });
  }

  private plainPress(): void {
    if (this.stage !== 'preAlarm') return;
    this.quiet();
    this.press.reset();
    this.lastEnd = 'cancelled';
    this.flash('green', 500);
  }

  private startAlarm(counter: number, timeoutMs: number): void {
    this.stage = 'alarm';
    this.counterValue = counter;
    this.event = 'alarm';
    this.intervalMs = this.t.fastAdvertMs;
    this.goOnAir();
    this.blink('red', 1000);
    this.hal.startScan((data) => this.heard(data));
    this.fastTimer = this.hal.after(this.t.fastPhaseMs, () => {
      this.fastTimer = undefined;
      this.intervalMs = this.t.slowAdvertMs;
      this.hal.advertise(
        this.wire.frame(this.window, this.counterValue, this.event),
        this.intervalMs,
      );
    });
    this.stageTimer = this.hal.after(timeoutMs, () => {
      this.stageTimer = undefined;
      this.endAlarm('timeout');
    });
  }

  private heard(data: Uint8Array): void {
    if (this.stage !== 'alarm') return;
    if (this.wire.isAckFor(data, this.window, this.counterValue) === false) return;
    this.endAlarm('acked');
  }

  private endAlarm(how: string): void {
    this.quiet();
    this.hal.erase(WEARABLE_ALARM_FILE);
    this.lastEnd = how;
    if (how === 'acked') {
      this.flash('green', 3000);
      this.hal.vibrate(500);
    } else {
      this.flash('red', 1000);
    }
  }

  /** A short burst of one frame (supervision or low battery), skipped during an alarm. */
  private burst(event: WearableEvent): void {
    if (this.stage !== 'idle') return;
    this.stage = 'burst';
    this.counterValue = this.counter.next();
    this.event = event;
    this.intervalMs = this.t.supervisionAdvertMs;
    this.goOnAir();
    this.stageTimer = this.hal.after(this.t.supervisionBurstMs, () => {
      this.stageTimer = undefined;
      this.quiet();
    });
  }

  private supervise(): void {
    this.burst(this.lowBattery === true ? 'lowBattery' : 'heartbeat');
  }

  private checkBattery(): void {
    const low = this.hal.batteryVolts() < this.t.lowBatteryVolts;
    const newlyLow = low === true && this.lowBattery === false;
    this.lowBattery = low;
    if (newlyLow === true) this.burst('lowBattery');
  }

  /** Address and frame of the current window, re-derived at each window boundary. */
  private goOnAir(): void {
    const nowSeconds = this.hal.unixSeconds();
    this.window = this.wire.windowOf(nowSeconds);
    this.hal.setAddress(this.wire.address(this.window));
    this.hal.advertise(
      this.wire.frame(this.window, this.counterValue, this.event),
      this.intervalMs,
    );
    const untilNextMs = (this.wire.windowStart(this.window + 1) - nowSeconds) * 1000;
    this.hal.cancel(this.windowTimer);
    this.windowTimer = this.hal.after(untilNextMs, () => {
      this.windowTimer = undefined;
      this.goOnAir();
    });
  }

  /** Radio off, every alarm timer cleared, lamps dark: the resting state. */
  private quiet(): void {
    this.hal.stopScan();
    this.hal.stopAdvertising();
    this.hal.cancel(this.stageTimer);
    this.hal.cancel(this.fastTimer);
    this.hal.cancel(this.windowTimer);
    this.hal.cancel(this.blinkTimer);
    this.stageTimer = undefined;
    this.fastTimer = undefined;
    this.windowTimer = undefined;
    this.blinkTimer = undefined;
    this.hal.lamp('red', false);
    this.hal.lamp('green', false);
    this.stage = 'idle';
  }

  private blink(lamp: 'red' | 'green', periodMs: number): void {
    let on = false;
    this.hal.cancel(this.blinkTimer);
    this.blinkTimer = this.hal.every(periodMs, () => {
      on = on === false;
      this.hal.lamp(lamp, on);
    });
  }

  /** One flash of feedback; its own short timer, cleared by itself. */
  private flash(lamp: 'red' | 'green', ms: number): void {
    this.hal.lamp(lamp, true);
    this.hal.after(ms, () => this.hal.lamp(lamp, false));
  }

  stop(): void {
    this.quiet();
    this.press.reset();
    for (const timer of this.periodic) this.hal.cancel(timer);
    this.periodic.length = 0;
  }

  /** One JSON line of state for urgence.info(). */
  info(): Record<string, unknown> {
    return {
      stage: this.stage,
      counter: this.counter.peek(),
      lowBattery: this.lowBattery,
    };
  }
}
