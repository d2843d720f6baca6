import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  AckStage,
  FaultCode,
  MessageType,
  decodeWearableFrame,
  readWearableFrame,
  encodeWearableAck,
  windowOf,
} from '@urgence/protocol';
import { wearableDefaults } from '../config/defaults';
import type { WearableConfig } from '../config/defaults';
import { createMessageCounter } from './counter';
import { createWearable } from './wearable-alarm';
import type { Wearable } from './wearable-alarm';
import { createWearableWire } from './wearable-wire';
import { FakeWearable, fakeClock, nodeSha256 } from '../test/fake-hal';
import type { FakeClock } from '../test/fake-hal';

const key = new Uint8Array(32).fill(7);
const otherKey = new Uint8Array(32).fill(9);
let clock: FakeClock;

function boot(hal?: FakeWearable): { hal: FakeWearable; wearable: Wearable } {
  const device = hal ?? new FakeWearable(clock);
  const t = { ...wearableDefaults } as WearableConfig;
  const wire = createWearableWire(nodeSha256, key, () => device.batteryVolts());
  const wearable = createWearable(
    device,
    t,
    wire,
    createMessageCounter(device, t.counterStep),
  );
  wearable.start();
  return { hal: device, wearable };
}

/** Unmasks a frame as the ingest would, under the window of the (fake) clock now. */
function decodeOnAir(data: Uint8Array) {
  return decodeWearableFrame(
    nodeSha256,
    key,
    windowOf(Math.floor(Date.now() / 1000)),
    data,
  );
}

function lastMessage(hal: FakeWearable) {
  assert.ok(hal.advertising, 'advertising');
  const frame = decodeOnAir(hal.advertising.data);
  assert.ok(frame.ok);
  return frame.value.message;
}

function startAlarm(hal: FakeWearable): void {
  clock.tick(10000); // past the boot supervision burst
  hal.press();
  clock.tick(2000);
  hal.release();
  clock.tick(5000);
}

test.before.each(() => {
  // 100 s into a window, so window boundaries are predictable.
  clock = fakeClock(windowOf(1_700_000_000) * 900_000 + 100_000);
});
test.after.each(() => clock.restore());

test('a hold of 2 s then 5 s of pre-alarm puts an alarm frame on air at 100 ms', () => {
  const { hal } = boot();
  startAlarm(hal);
  assert.is(lastMessage(hal).type, MessageType.Alarm);
  assert.is(hal.advertising?.intervalMs, 100);
  assert.ok(hal.scanning);
});

test('a press during the pre-alarm cancels: no alarm frame ever goes on air', () => {
  const { hal, wearable } = boot();
  clock.tick(10000);
  hal.press();
  clock.tick(2000);
  hal.release();
  clock.tick(1000);
  hal.tap();
  assert.ok(hal.lamps.green, 'a short green flash: cancelled');
  clock.tick(60000);
  // The event byte is clear on air: no key needed to see that no alarm went out.
  const alarms = hal.adverts.filter((a) => {
    const frame = readWearableFrame(a.data);
    return !frame.ok || frame.value.event === MessageType.Alarm;
  });
  assert.is(alarms.length, 0);
  assert.is(wearable.state().stage, 'idle');
});

test('after the fast phase the alarm is advertised at the slow interval', () => {
  const { hal } = boot();
  startAlarm(hal);
  clock.tick(wearableDefaults.fastPhaseMs);
  assert.is(hal.advertising?.intervalMs, wearableDefaults.slowAdvertMs);
});

test('an ack signed with another key is ignored', () => {
  const { hal, wearable } = boot();
  startAlarm(hal);
  const counter = (lastMessage(hal) as { counter: number }).counter;
  const window = windowOf(Math.floor(clock.now / 1000));
  hal.hear(
    encodeWearableAck(nodeSha256, otherKey, window, {
      type: MessageType.Ack,
      ref: counter,
      stage: AckStage.Received,
    }),
  );
  assert.is(wearable.state().stage, 'alarm');
  assert.ok(hal.advertising);
});

test('a valid ack stops the alarm, the scan, and gives feedback', () => {
  const { hal, wearable } = boot();
  startAlarm(hal);
  const counter = (lastMessage(hal) as { counter: number }).counter;
  const window = windowOf(Math.floor(clock.now / 1000));
  hal.hear(
    encodeWearableAck(nodeSha256, key, window, {
      type: MessageType.Ack,
      ref: counter,
      stage: AckStage.Received,
    }),
  );
  assert.is(wearable.state().stage, 'idle');
  assert.is(hal.advertising, undefined);
  assert.is(hal.scanning, false);
  assert.ok(hal.lamps.green);
  assert.is(hal.vibrations, 1);
});

test('an ack for another counter is ignored', () => {
  const { hal, wearable } = boot();
  startAlarm(hal);
  const counter = (lastMessage(hal) as { counter: number }).counter;
  const window = windowOf(Math.floor(clock.now / 1000));
  const ack = {
    type: MessageType.Ack,
    ref: counter + 1,
    stage: AckStage.Received,
  } as const;
  hal.hear(encodeWearableAck(nodeSha256, key, window, ack));
  assert.is(wearable.state().stage, 'alarm');
});

test('an unacknowledged alarm stops after 5 minutes', () => {
  const { hal } = boot();
  startAlarm(hal);
  clock.tick(300000);
  assert.is(hal.advertising, undefined);
  assert.ok(hal.lamps.red, 'a red flash: nobody answered');
  assert.is(hal.lamps.green, false);
  assert.is(hal.vibrations, 0);
});

test('rotating id and address change together at the window boundary', () => {
  clock.tick(750000); // 850 s into the window: the alarm spans the boundary
  const { hal } = boot();
  startAlarm(hal);
  const before = hal.advertising!;
  clock.tick(40000);
  const after = hal.advertising!;
  assert.is.not(before.address, after.address);
  const idBefore = Buffer.from(before.data.subarray(1, 9)).toString('hex');
  const idAfter = Buffer.from(after.data.subarray(1, 9)).toString('hex');
  assert.is.not(idBefore, idAfter);
});

test('boot silences whatever was on air before the first frame goes out', () => {
  const hal = new FakeWearable(clock);
  const bootAdvert = {
    data: Uint8Array.of(9),
    intervalMs: 375,
    at: 0,
    address: 'static',
  };
  hal.advertising = bootAdvert;
  let silencedFirst = false;
  const advertise = hal.advertise.bind(hal);
  hal.advertise = (data, intervalMs) => {
    silencedFirst = hal.advertising === undefined;
    advertise(data, intervalMs);
  };
  boot(hal);
  assert.ok(silencedFirst, 'the boot advert was stopped before our frame');
  assert.is.not(hal.advertising, bootAdvert);
});

test('a supervision heartbeat goes on air at boot, then the radio rests, then within 24 h', () => {
  const { hal } = boot();
  assert.is(lastMessage(hal).type, MessageType.Heartbeat);
  clock.tick(wearableDefaults.supervisionBurstMs);
  assert.is(hal.advertising, undefined);
  const count = hal.adverts.length;
  clock.tick(24 * 3600 * 1000);
  assert.ok(hal.adverts.length > count);
});

test('a low battery is advertised as a LowBattery fault', () => {
  clock.tick(1);
  const hal = new FakeWearable(clock);
  hal.battery = 2.5;
  boot(hal);
  const message = lastMessage(hal);
  assert.is(message.type, MessageType.Fault);
});

test('on a full Storage the alarm still goes on air, and supervision then says why', () => {
  const { hal } = boot();
  hal.full = true;
  startAlarm(hal);
  assert.is(lastMessage(hal).type, MessageType.Alarm);
  assert.is(hal.files['urgence.alm'], undefined, 'nowhere to keep it but RAM');
  clock.tick(wearableDefaults.alarmTimeoutMs);
  const count = hal.adverts.length;
  clock.tick(wearableDefaults.supervisionEveryMs);
  assert.ok(hal.adverts.length > count, 'the supervision burst went out');
  const frame = decodeOnAir(hal.adverts[hal.adverts.length - 1]!.data);
  assert.ok(frame.ok);
  const message = frame.value.message;
  assert.is(message.type, MessageType.Fault);
  assert.is((message as { fault: number }).fault, FaultCode.SelfTestFailed);
});

test('a low battery on a full Storage is still reported as the low battery', () => {
  clock.tick(1);
  const hal = new FakeWearable(clock);
  hal.battery = 2.5;
  hal.full = true;
  boot(hal);
  assert.is((lastMessage(hal) as { fault: number }).fault, FaultCode.LowBattery);
});

test('a reboot mid-alarm resumes the same alarm and the next alarm gets a new counter', () => {
  const { hal, wearable } = boot();
  startAlarm(hal);
  const counter = (lastMessage(hal) as { counter: number }).counter;
  wearable.stop();
  clock.tick(1000);
  const { wearable: rebooted } = boot(hal);
  assert.is(rebooted.state().stage, 'alarm');
  assert.is((lastMessage(hal) as { counter: number }).counter, counter);
  clock.tick(300000);
  hal.press();
  clock.tick(2000);
  hal.release();
  clock.tick(5000);
  assert.ok((lastMessage(hal) as { counter: number }).counter > counter);
});

test.run();
