// The street post: a press raises an alarm at once, kept in flash until the gateway has it,
// shown as calling → received → help coming → idle when dispatch closes; heartbeats, faults,
// self-test, intercom and watchdog around it. Messages are sealed by logic/post-wire.ts.
// A closure rather than a class: local names minify, and the post bundle has 16 KB.
import type { PostConfig } from '../config/defaults';
import type { PostHal, TimerHandle } from '../hal';
import type { MessageCounter } from './counter';
import { postLamps } from './post-lamps';
import type { PostStage } from './post-lamps';
import { postOutbox } from './post-outbox';
import type { FrameLink } from './post-outbox';
import { postSense } from './post-sense';
import type { PostFault, SenseState } from './post-sense';
import { postPress } from './press-post';

export interface PostStatus {
  batteryVolts: number;
  mains: boolean;
  /** The intercom reports a call in progress (protocol's Heartbeat key 10). */
  inCall: boolean;
}

/** A verified downlink ack: which alarm (its counter) and how far dispatch has got. */
export interface PostAck {
  counter: number;
  stage: 'received' | 'helpComing' | 'closed';
}

export interface PostWire {
  /** test: a MessageType.TestAlarm (the technician's urgence.testAlarm()), else an Alarm. */
  alarm(counter: number, test: boolean): Uint8Array;
  heartbeat(counter: number, status: PostStatus): Uint8Array;
  fault(counter: number, fault: PostFault, active: boolean): Uint8Array;
  /** undefined unless the bytes are an Ack signed with this post's key. */
  openAck(bytes: Uint8Array): PostAck | undefined;
  hex(bytes: Uint8Array): string;
  unhex(text: string): Uint8Array | undefined;
}

export interface PostState extends SenseState {
  stage: PostStage;
  counter: number;
  unreachable: boolean;
  badAcks: number;
  lastFaults: string[];
}

export interface Post {
  start(): void;
  stop(): void;
  /** Downlink bytes from the gateway (a COSE_Mac0 Ack). */
  received(bytes: Uint8Array): void;
  /** Daily: flash and storage round trip, button line at rest, battery connected. */
  selfTest(): boolean;
  state(): PostState;
  /**
   * The technician's test (urgence.testAlarm()): a TestAlarm through the alarm's own path
   * (flash, outbox until link-acked, stages from dispatch's acks). The intercom is not
   * dialled: a test must not open a voice call to dispatch. False while an alarm is on.
   */
  testAlarm(): boolean;
}

export const POST_ALARM_FILE = 'urgence.alm';
const SELF_TEST_FILE = 'urgence.tst';
/** Below this the divider reads nothing: the battery is disconnected or the line broken. */
const BATTERY_PRESENT_VOLTS = 5;
const STAGE_ORDER: PostStage[] = ['calling', 'received', 'helpComing'];

export function createPost(
  hal: PostHal,
  t: PostConfig,
  wire: PostWire,
  counter: MessageCounter,
  link: FrameLink,
): Post {
  let stage: PostStage = 'idle';
  let alarmCounter = -1;
  /** The alarm on show is the technician's test: a real press must supersede it. */
  let testing = false;
  let badAcks = 0;
  /** Mirrors the outbox's view, so the lamps can show it before the outbox exists. */
  let unreachable = false;
  const lastFaults: string[] = [];
  /** Storage refused the latest write, as last reported. */
  let flashRefused = false;
  const sensed: SenseState = {
    tamper: false,
    onBattery: false,
    lowBattery: false,
    inCall: false,
  };
  let showTimer: TimerHandle | undefined = undefined;
  const periodic: TimerHandle[] = [];
  const lamps = postLamps(hal);

  const rest = (): void => {
    hal.cancel(showTimer);
    showTimer = undefined;
    hal.eraseFile(POST_ALARM_FILE);
    stage = 'idle';
    testing = false;
    lamps(stage, unreachable);
  };

  const alarmDelivered = (): void => {
    // A refusal here is reported by the next heartbeat's flashCheck (within a minute).
    hal.saveJson(POST_ALARM_FILE, { c: alarmCounter, m: '', d: 1, t: testing });
    hal.cancel(showTimer);
    showTimer = hal.after(t.alarmShowMaxMs, () => {
      showTimer = undefined;
      rest();
    });
  };

  const outbox = postOutbox(hal, link, t, alarmDelivered, (nowUnreachable) => {
    unreachable = nowUnreachable;
    lamps(stage, unreachable);
  });

  const fault = (name: PostFault, active: boolean): void => {
    const line = name + (active === true ? '' : ' cleared');
    lastFaults.push(line);
    if (lastFaults.length > 4) lastFaults.shift();
    hal.note('fault ' + line);
    outbox.sendFault(wire.fault(counter.next(), name, active));
  };

  /**
   * A full Storage (the latest write refused) is reported once per spell, as the self-test's
   * fault: the catalogue has no storage code, and the daily self-test reports the same
   * failure of its round trip. Nothing is cleared: the self-test never clears it either.
   * Run after an alarm or a heartbeat is queued: the report never goes out ahead of an alarm.
   */
  const flashCheck = (): void => {
    if (hal.writeRefused === flashRefused) return;
    flashRefused = hal.writeRefused;
    if (flashRefused) fault('selfTestFailed', true);
  };

  const calling = (alarm: number): void => {
    alarmCounter = alarm;
    stage = 'calling';
    lamps(stage, unreachable);
  };

  const raise = (test: boolean): void => {
    // A person pressing during a technician's test gets a real alarm (the outbox keeps one
    // alarm: the real one replaces the test); a test never displaces anything.
    if (stage !== 'idle' && (test === true || testing === false)) {
      hal.note('press during alarm ' + alarmCounter + ': already calling');
      return;
    }
    testing = test;
    const alarm = counter.next();
    const sealed = wire.alarm(alarm, test);
    // Flash first: from here a reboot or a cut link cannot lose the alarm. A full Storage
    // refuses it: the alarm then lives in the outbox's RAM and goes out all the same.
    hal.saveJson(POST_ALARM_FILE, { c: alarm, m: wire.hex(sealed), d: 0, t: test });
    calling(alarm);
    if (test === false) hal.intercomDial(t.intercomPulseMs);
    outbox.sendAlarm(sealed);
    hal.note((test ? 'test ' : '') + 'alarm raised, counter ' + alarm);
    flashCheck();
  };

  /** After a reboot: an alarm on flash is shown again and re-sent if not yet delivered. */
  const resume = (): void => {
    const saved = hal.loadJson(POST_ALARM_FILE) as
      { c: number; m: string; d: number; t?: boolean } | undefined;
    if (saved === undefined || typeof saved.m !== 'string') return;
    const sealed = wire.unhex(saved.m);
    if (sealed === undefined) {
      hal.eraseFile(POST_ALARM_FILE);
      return;
    }
    calling(saved.c);
    testing = saved.t === true;
    hal.note('alarm resumed after reboot, counter ' + saved.c);
    if (saved.d === 1) alarmDelivered();
    else outbox.sendAlarm(sealed);
  };

  const press = postPress(hal, t, {
    onPress: () => raise(false),
    onIgnoredPress: () =>
      hal.note('press ignored: repeat within ' + t.repeatIgnoreMs + ' ms'),
    onStuck: () => fault('stuckButton', true),
    onUnstuck: () => fault('stuckButton', false),
  });
  const heartbeat = (): void => {
    const status: PostStatus = {
      batteryVolts: hal.batteryVolts(),
      mains: hal.mainsPresent(),
      inCall: sensed.inCall,
    };
    outbox.sendHeartbeat(wire.heartbeat(counter.next(), status));
    flashCheck();
  };

  // During an alarm dispatch must learn at once that the voice call started or ended (the
  // issue: the post "reports the call state"), so a change sends a heartbeat now; at rest
  // the next minute's heartbeat carries it.
  const sample = postSense(hal, t, sensed, fault, () => {
    if (stage !== 'idle') heartbeat();
  });

  const selfTest = (): boolean => {
    let passed = true;
    hal.saveJson(SELF_TEST_FILE, alarmCounter);
    if (hal.loadJson(SELF_TEST_FILE) !== alarmCounter) passed = false;
    // This report stands for a refused write too: flashCheck does not repeat it.
    flashRefused = hal.writeRefused;
    hal.eraseFile(SELF_TEST_FILE);
    if (hal.buttonPressed() === true && press.isStuck() === false) passed = false;
    if (hal.batteryVolts() < BATTERY_PRESENT_VOLTS) passed = false;
    if (stage === 'idle') {
      // Lamps cannot read themselves back: a one-second flash lets a passer-by see them.
      hal.lamp('calling', true);
      hal.lamp('received', true);
      hal.after(1000, () => lamps(stage, unreachable));
    }
    if (passed === false) fault('selfTestFailed', true);
    return passed;
  };

  const received = (bytes: Uint8Array): void => {
    const ack = wire.openAck(bytes);
    if (ack === undefined) {
      badAcks++;
      hal.note('ack refused: not signed with this post key');
      return;
    }
    if (stage === 'idle' || ack.counter !== alarmCounter) return;
    if (ack.stage === 'closed') {
      rest();
      return;
    }
    // Stages only move forward: a late "received" after "help coming" changes nothing.
    if (STAGE_ORDER.indexOf(ack.stage) > STAGE_ORDER.indexOf(stage)) {
      stage = ack.stage;
      lamps(stage, unreachable);
    }
  };

  return {
    start: () => {
      hal.startWatchdog(t.watchdogSeconds);
      periodic.push(hal.every(t.watchdogKickMs, () => hal.feedWatchdog()));
      periodic.push(hal.every(t.heartbeatMs, heartbeat));
      periodic.push(hal.every(t.sensePollMs, sample));
      periodic.push(hal.every(t.selfTestEveryMs, selfTest));
      hal.watchButton(press.edge);
      press.start();
      resume();
      sample();
      heartbeat();
    },
    stop: () => {
      for (const timer of periodic) hal.cancel(timer);
      periodic.length = 0;
      hal.cancel(showTimer);
      press.stop();
      outbox.stop();
      lamps('idle', false);
    },
    received: received,
    selfTest: selfTest,
    testAlarm: () => {
      if (stage !== 'idle') return false;
      raise(true);
      return true;
    },
    state: () => ({
      stage: stage,
      counter: counter.peek(),
      unreachable: unreachable,
      badAcks: badAcks,
      lastFaults: lastFaults,
      tamper: sensed.tamper,
      onBattery: sensed.onBattery,
      lowBattery: sensed.lowBattery,
      inCall: sensed.inCall,
    }),
  };
}
