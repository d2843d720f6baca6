import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  AckStage,
  FaultCode,
  MessageType,
  openMessage,
  sealMessage,
} from '@urgence/protocol';
import type { DeviceMessage } from '@urgence/protocol';
import { postDefaults } from '../config/defaults';
import type { PostConfig } from '../config/defaults';
import { createMessageCounter } from './counter';
import { POST_ALARM_FILE, createPost } from './post-alarm';
import { createPostWire } from './post-wire';
import { FakePost, fakeClock, nodeSha256 } from '../test/fake-hal';
import type { FakeClock } from '../test/fake-hal';
import { FakeLink } from '../test/fake-link';

const id = '0000002a';
const key = new Uint8Array(32).fill(3);
let clock: FakeClock;

function boot(hal?: FakePost, link?: FakeLink) {
  const device = hal ?? new FakePost(clock);
  device.battery = 13.2;
  const frames = link ?? new FakeLink();
  const t = { ...postDefaults } as PostConfig;
  const post = createPost(
    device,
    t,
    createPostWire(nodeSha256, id, key),
    createMessageCounter(device, t.counterStep),
    frames,
  );
  post.start();
  return { hal: device, link: frames, post };
}

function open(bytes: Uint8Array): DeviceMessage {
  const opened = openMessage(nodeSha256, bytes, (device) =>
    device === id ? key : undefined,
  );
  assert.ok(opened.ok, 'message verifies with the post key');
  return opened.value.message;
}

function ack(counter: number, stage: number, withKey = key): Uint8Array {
  return sealMessage(nodeSha256, id, withKey, {
    type: MessageType.Ack,
    ref: counter,
    stage: stage as 1 | 2 | 3,
  });
}

test.before.each(() => {
  clock = fakeClock();
});
test.after.each(() => clock.restore());

test('a press sends a valid signed alarm at once and keeps it in flash', () => {
  const { hal, link } = boot();
  link.deliverAll();
  hal.press();
  const message = open(link.sent[link.sent.length - 1]);
  assert.is(message.type, MessageType.Alarm);
  assert.ok(hal.files[POST_ALARM_FILE]);
  assert.ok(hal.lamps.calling);
  assert.equal(hal.dials, [postDefaults.intercomPulseMs]);
});

test('on a full Storage a press still sends its alarm first, then one storage fault', () => {
  const { hal, link } = boot();
  link.deliverAll();
  hal.full = true;
  hal.tap();
  assert.is(open(link.deliver(true)).type, MessageType.Alarm);
  assert.is(hal.files[POST_ALARM_FILE], undefined, 'nowhere to keep it but RAM');
  assert.ok(hal.lamps.calling);
  assert.equal(hal.dials, [postDefaults.intercomPulseMs]);
  link.deliverAll();
  const faults = link.sent.map(open).filter((m) => m.type === MessageType.Fault);
  assert.equal(
    faults.map((m) => [
      (m as { fault: number }).fault,
      (m as { active: boolean }).active,
    ]),
    [[FaultCode.SelfTestFailed, true]],
  );
  clock.tick(postDefaults.heartbeatMs * 3);
  link.deliverAll();
  const more = link.sent.map(open).filter((m) => m.type === MessageType.Fault);
  assert.is(more.length, 1, 'one report per spell, not one per refused write');
});

test('a storage fault is reported again after Storage took a write in between', () => {
  const { hal, link, post } = boot();
  link.deliverAll();
  hal.full = true;
  hal.tap();
  link.deliverAll();
  hal.full = false;
  clock.tick(postDefaults.alarmShowMaxMs);
  assert.ok(post.selfTest(), 'the self-test writes, and Storage takes it');
  hal.full = true;
  hal.tap();
  link.deliverAll();
  const faults = link.sent.map(open).filter((m) => m.type === MessageType.Fault);
  assert.is(faults.length, 2);
});

test('when the call starts and ends during an alarm, a heartbeat says so at once', () => {
  const { hal, link } = boot();
  link.deliverAll();
  hal.tap();
  link.deliverAll();
  const before = link.sent.length;
  hal.inCall = true;
  clock.tick(postDefaults.sensePollMs);
  link.deliverAll();
  const started = link.sent.slice(before).map(open);
  assert.equal(
    started.map((m) => [m.type, (m as { inCall?: boolean }).inCall]),
    [[MessageType.Heartbeat, true]],
  );
  hal.inCall = false;
  clock.tick(postDefaults.sensePollMs);
  link.deliverAll();
  const ended = open(link.sent[link.sent.length - 1]!);
  assert.is((ended as { inCall?: boolean }).inCall, false);
});

test('at rest a change of the call line waits for the next heartbeat', () => {
  const { hal, link } = boot();
  link.deliverAll();
  const before = link.sent.length;
  hal.inCall = true;
  clock.tick(postDefaults.sensePollMs);
  link.deliverAll();
  assert.is(link.sent.length, before, 'no extra message');
  clock.tick(postDefaults.heartbeatMs);
  link.deliverAll();
  const next = open(link.sent[link.sent.length - 1]!);
  assert.is((next as { inCall?: boolean }).inCall, true);
});

test('a second press within 10 s sends nothing', () => {
  const { hal, link } = boot();
  link.deliverAll();
  hal.tap();
  link.deliverAll();
  const count = link.sent.length;
  clock.tick(3000);
  hal.tap();
  assert.is(link.sent.length, count);
});

test('a failed alarm is retried with a backoff that doubles', () => {
  const { hal, link } = boot();
  link.deliverAll();
  hal.press();
  link.deliver(false);
  clock.tick(postDefaults.retryFirstMs);
  assert.is(open(link.deliver(false)).type, MessageType.Alarm);
  clock.tick(postDefaults.retryFirstMs);
  assert.is(link.pending.length, 0, 'second retry waits twice as long');
  clock.tick(postDefaults.retryFirstMs);
  assert.is(open(link.deliver(true)).type, MessageType.Alarm);
});

test('the gateway shows unreachable once no link ack came for unreachableAfterMs', () => {
  const { hal, link, post } = boot();
  link.deliverAll();
  hal.press();
  link.deliver(false);
  assert.is(post.state().unreachable, false, 'one lost frame is not an outage');
  clock.tick(postDefaults.unreachableAfterMs - 1);
  link.deliverAll(false);
  assert.is(post.state().unreachable, false);
  clock.tick(1);
  assert.is(post.state().unreachable, true);
  clock.tick(postDefaults.retryMaxMs);
  assert.is(open(link.deliver(true)).type, MessageType.Alarm);
  assert.is(post.state().unreachable, false, 'the next link ack clears it');
});

test('a dead gateway shows unreachable even when only heartbeats were waiting', () => {
  const { link, post } = boot();
  link.deliverAll(false);
  clock.tick(postDefaults.unreachableAfterMs);
  assert.is(post.state().unreachable, true);
});

test('acks move the post through received and help coming, and closed rests it', () => {
  const { hal, link, post } = boot();
  link.deliverAll();
  hal.press();
  const counter = (open(link.deliver(true)) as { counter: number }).counter;
  post.received(ack(counter, AckStage.Received));
  assert.is(post.state().stage, 'received');
  post.received(ack(counter, AckStage.HelpComing));
  assert.is(post.state().stage, 'helpComing');
  post.received(ack(counter, AckStage.Closed));
  assert.is(post.state().stage, 'idle');
  assert.is(hal.files[POST_ALARM_FILE], undefined);
});

test('an ack signed with another key is refused and counted', () => {
  const { hal, link, post } = boot();
  link.deliverAll();
  hal.press();
  const counter = (open(link.deliver(true)) as { counter: number }).counter;
  post.received(ack(counter, AckStage.Closed, new Uint8Array(32).fill(4)));
  assert.is(post.state().stage, 'calling');
  assert.is(post.state().badAcks, 1);
});

test('a stuck button is reported as one fault', () => {
  const { hal, link } = boot();
  link.deliverAll();
  hal.press();
  clock.tick(120000);
  link.deliverAll();
  const faults = link.sent.map(open).filter((m) => m.type === MessageType.Fault);
  assert.is(faults.length, 1);
  assert.is((faults[0] as { fault: number }).fault, FaultCode.StuckButton);
});

test('tamper and low battery are reported', () => {
  const { hal, link } = boot();
  link.deliverAll();
  hal.tamper = true;
  hal.battery = 11.2;
  clock.tick(postDefaults.sensePollMs);
  link.deliverAll();
  const codes = link.sent
    .map(open)
    .filter((m) => m.type === MessageType.Fault)
    .map((m) => (m as { fault: number }).fault);
  assert.equal(codes.sort(), [FaultCode.Tamper, FaultCode.LowBattery].sort());
});

test('mains loss reports on battery at once and mains lost after 5 minutes', () => {
  const { hal, link } = boot();
  link.deliverAll();
  hal.mains = false;
  clock.tick(postDefaults.sensePollMs);
  link.deliverAll();
  clock.tick(postDefaults.mainsLostAfterMs);
  link.deliverAll();
  const codes = link.sent
    .map(open)
    .filter((m) => m.type === MessageType.Fault)
    .map((m) => (m as { fault: number }).fault);
  assert.equal(codes, [FaultCode.OnBattery, FaultCode.MainsLost]);
});

test('a heartbeat goes out every 60 s', () => {
  const { link } = boot();
  link.deliverAll();
  for (let minute = 0; minute < 3; minute++) {
    clock.tick(60000);
    link.deliverAll();
  }
  const beats = link.sent.map(open).filter((m) => m.type === MessageType.Heartbeat);
  assert.is(beats.length, 4);
});

test('a reboot before the gateway acked resends the same alarm', () => {
  const { hal, link, post } = boot();
  link.deliverAll();
  hal.press();
  const first = link.sent[link.sent.length - 1];
  post.stop();
  const rebooted = boot(hal, new FakeLink());
  assert.is(rebooted.post.state().stage, 'calling');
  assert.equal(rebooted.link.sent[0], first);
});

test('counters after a reboot are above every counter used before', () => {
  const { hal, link, post } = boot();
  link.deliverAll();
  clock.tick(600000);
  link.deliverAll();
  const before = link.sent.map(open).map((m) => (m as { counter: number }).counter);
  post.stop();
  const rebooted = boot(hal, new FakeLink());
  const after = (open(rebooted.link.sent[0]) as { counter: number }).counter;
  assert.ok(after > Math.max(...before));
});

test('the watchdog is enabled and kicked', () => {
  const { hal } = boot();
  clock.tick(10000);
  assert.is(hal.watchdogSeconds, postDefaults.watchdogSeconds);
  assert.ok(hal.watchdogKicks >= 4);
});

test('a failed daily self-test is reported once as a fault', () => {
  const { hal, link } = boot();
  link.deliverAll();
  hal.battery = 0.2; // battery line broken: the divider reads nothing
  clock.tick(postDefaults.selfTestEveryMs);
  link.deliverAll();
  const codes = link.sent
    .map(open)
    .filter((m) => m.type === MessageType.Fault)
    .map((m) => (m as { fault: number }).fault);
  assert.ok(codes.includes(FaultCode.SelfTestFailed));
});

test('a passing self-test sends no fault', () => {
  const { link, post } = boot();
  link.deliverAll();
  assert.ok(post.selfTest());
  link.deliverAll();
  assert.is(link.sent.map(open).filter((m) => m.type === MessageType.Fault).length, 0);
});

test.run();
