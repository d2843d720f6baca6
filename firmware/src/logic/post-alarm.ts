// The street post: a press raises an alarm at once, kept in flash until the gateway has it,
// shown as calling → received → help coming → idle when dispatch closes; heartbeats, faults,
// self-test, intercom and watchdog around it. Messages are sealed by logic/post-wire.ts.
import type { PostConfig } from '../config/defaults';
import type { PostHal, TimerHandle } from '../hal';
import type { MessageCounter } from './counter';
import { PostLamps } from './post-lamps';
import type { PostStage } from './post-lamps';
import { PostOutbox } from './post-outbox';
import type { FrameLink } from './post-outbox';
import { PostPressPattern } from './press-post';
import { PostSense } from './post-sense';
import type { PostFault } from './post-sense';

export interface PostStatus {
  batteryVolts: number;
  mains: boolean;
  tamper: boolean;
  inCall: boolean;
}

/** A verified downlink ack: which alarm (its counter) and how far dispatch has got. */
export interface PostAck {
  counter: number;
  stage: 'received' | 'helpComing' | 'closed';
}

export interface PostWire {
  alarm(counter: number): Uint8Array;
  heartbeat(counter: number, status: PostStatus): Uint8Array;
  fault(counter: number, fault: PostFault, active: boolean): Uint8Array;
  /** undefined unless the bytes are an Ack signed with this post's key. */
  openAck(bytes: Uint8Array): PostAck | undefined;
  hex(bytes: Uint8Array): string;
  unhex(text: string): Uint8Array | undefined;
}

export const POST_ALARM_FILE = 'urgence.alm';
const SELF_TEST_FILE = 'urgence.tst';
/** Below this the divider reads nothing: the battery is disconnected or the line broken. */
const BATTERY_PRESENT_VOLTS = 5;
const STAGE_ORDER: PostStage[] = ['calling', 'received', 'helpComing'];

interface SavedAlarm {
  c: number;
  m: string;
  /** 1 once the gateway link-acked it. */
  d: number;
}

export class PostController {
  stage: PostStage = 'idle';
  alarmCounter = -1;
  badAcks = 0;
  lastFaults: string[] = [];
  readonly outbox: PostOutbox;
  readonly sense: PostSense;
  private readonly press: PostPressPattern;
  private readonly lamps: PostLamps;
  private showTimer: TimerHandle | undefined = undefined;
  private readonly periodic: TimerHandle[] = [];

  constructor(
    private readonly hal: PostHal,
    private readonly t: PostConfig,
    private readonly wire: PostWire,
    private readonly counter: MessageCounter,
    link: FrameLink,
  ) {
    this.lamps = new PostLamps(hal);
    this.outbox = new PostOutbox(
      hal,
      link,
      t,
      () => this.alarmDelivered(),
      (unreachable) => this.lamps.show(this.stage, unreachable),
    );
    this.sense = new PostSense(
      hal,
      t,
      (fault, active) => this.fault(fault, active),
      (inCall) => hal.print('intercom ' + (inCall === true ? 'in call' : 'idle')),
    );
    this.press = new PostPressPattern(hal, t, {
      onPress: () => this.raise(),
      onIgnoredPress: () =>
        hal.print('press ignored: repeat within ' + t.repeatIgnoreMs + ' ms'),
      onStuck: () => this.fault('stuckButton', true),
      onUnstuck: () => this.fault('stuckButton', false),
    });
  }

  start(): void {
    const t = this.t;
    this.hal.enableWatchdog(t.watchdogSeconds);
    this.periodic.push(this.hal.every(t.watchdogKickMs, () => this.hal.kickWatchdog()));
    this.periodic.push(this.hal.every(t.heartbeatMs, () => this.heartbeat()));
    this.periodic.push(this.hal.every(t.sensePollMs, () => this.sense.sample()));
    this.periodic.push(this.hal.every(t.selfTestEveryMs, () => this.selfTest()));
    this.hal.watchButton((pressed) => this.press.edge(pressed));
    this.press.start();
    this.resume();
    this.sense.sample();
    this.heartbeat();
  }

  /** Downlink bytes from the gateway (a COSE_Mac0 Ack). */
  received(bytes: Uint8Array): void {
    const ack = this.wire.openAck(bytes);
    if (ack === undefined) {
      this.badAcks++;
      this.hal.print('ack refused: not signed with this post key');
      return;
    }
    if (this.stage === 'idle' || ack.counter !== this.alarmCounter) return;
    if (ack.stage === 'closed') {
      this.rest();
      return;
    }
    // Stages only move forward: a late "received" after "help coming" changes nothing.
    if (STAGE_ORDER.indexOf(ack.stage) > STAGE_ORDER.indexOf(this.stage)) {
      this.stage = ack.stage;
      this.lamps.show(this.stage, this.outbox.unreachable);
    }
  }

  raise(): void {
    if (this.stage !== 'idle') {
      this.hal.print('press during alarm ' + this.alarmCounter + ': already calling');
      return;
    }
    const counter = this.counter.next();
    const sealed = this.wire.alarm(counter);
    // Flash first: from here a reboot or a cut link cannot lose the alarm.
    this.hal.writeJSON(POST_ALARM_FILE, { c: counter, m: this.wire.hex(sealed), d: 0 });
    this.calling(counter);
    this.hal.intercomDial(this.t.intercomPulseMs);
    this.outbox.sendAlarm(sealed);
    this.hal.print('alarm raised, counter ' + counter);
  }

  /** After a reboot: an alarm on flash is shown again and re-sent if not yet delivered. */
  private resume(): void {
    const saved = this.hal.readJSON(POST_ALARM_FILE) as SavedAlarm | undefined;
    if (saved === undefined || typeof saved.m !== 'string') return;
    const sealed = this.wire.unhex(saved.m);
    if (sealed === undefined) {
      this.hal.erase(POST_ALARM_FILE);
      return;
    }
    this.calling(saved.c);
    this.hal.print('alarm resumed after reboot, counter ' + saved.c);
    if (saved.d === 1) this.alarmDelivered();
    else this.outbox.sendAlarm(sealed);
  }

  private calling(counter: number): void {
    this.alarmCounter = counter;
    this.stage = 'calling';
    this.lamps.show(this.stage, this.outbox.unreachable);
  }

  private alarmDelivered(): void {
    this.hal.writeJSON(POST_ALARM_FILE, {
      c: this.alarmCounter,
      m: '',
      d: 1,
    });
    this.hal.cancel(this.showTimer);
    this.showTimer = this.hal.after(this.t.alarmShowMaxMs, () => {
      this.showTimer = undefined;
      this.rest();
    });
  }

  private rest(): void {
    this.hal.cancel(this.showTimer);
    this.showTimer = undefined;
    this.hal.erase(POST_ALARM_FILE);
    this.stage = 'idle';
    this.lamps.show('idle', this.outbox.unreachable);
  }

  private fault(fault: PostFault, active: boolean): void {
    const name = fault + (active === true ? '' : ' cleared');
    this.lastFaults.push(name);
    if (this.lastFaults.length > 4) this.lastFaults.shift();
    this.hal.print('fault ' + name);
    this.outbox.sendFault(this.wire.fault(this.counter.next(), fault, active));
  }

  private heartbeat(): void {
    const status: PostStatus = {
      batteryVolts: this.hal.batteryVolts(),
      mains: this.hal.mainsPresent(),
      tamper: this.sense.tamper,
      inCall: this.sense.inCall,
    };
    this.outbox.sendHeartbeat(this.wire.heartbeat(this.counter.next(), status));
  }

  /** Daily: flash and storage round trip, button line at rest, battery connected. */
  selfTest(): boolean {
    let passed = true;
    this.hal.writeJSON(SELF_TEST_FILE, this.alarmCounter);
    if (this.hal.readJSON(SELF_TEST_FILE) !== this.alarmCounter) passed = false;
    this.hal.erase(SELF_TEST_FILE);
    if (this.hal.buttonPressed() === true && this.press.isStuck() === false)
      passed = false;
    if (this.hal.batteryVolts() < BATTERY_PRESENT_VOLTS) passed = false;
    if (this.stage === 'idle') {
      // Lamps cannot read themselves back: a one-second flash lets a passer-by see them.
      this.hal.lamp('calling', true);
      this.hal.lamp('received', true);
      this.hal.after(1000, () => this.lamps.show(this.stage, this.outbox.unreachable));
    }
    if (passed === false) this.fault('selfTestFailed', true);
    return passed;
  }

  stop(): void {
    for (const timer of this.periodic) this.hal.cancel(timer);
    this.periodic.length = 0;
    this.hal.cancel(this.showTimer);
    this.press.stop();
    this.outbox.stop();
    this.lamps.stop();
  }

  info(): Record<string, unknown> {
    return {
      stage: this.stage,
      counter: this.counter.peek(),
      link: this.outbox.unreachable === true ? 'unreachable' : 'ok',
      lastFaults: this.lastFaults,
    };
  }
}
