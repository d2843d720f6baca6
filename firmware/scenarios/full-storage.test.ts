// A full Storage on the BUILT bundles: the journal has no room left even after its own
// compaction, so every write that needs space is refused with Espruino's error. The alarm
// must still go out, the fault must be said, and no counter may come back after a reboot.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FaultCode, MessageType } from '@urgence/protocol';
import type { DeviceMessage } from '@urgence/protocol';
import type { SimDevice } from '../sim';
import { PostBench, WearableBench, bundleOf } from './harness';

const post = { id: '0000002a', key: new Uint8Array(32).fill(0x5a) };
const wearable = { id: '0000007b', key: new Uint8Array(32).fill(0x21) };
const bundles = { post: '', wearable: '' };

test.before(async () => {
  bundles.post = await bundleOf('post');
  bundles.wearable = await bundleOf('wearable');
});

/** jsflash.c's file header, and the 4-byte flash word data is padded to. */
const HEADER_BYTES = 32;

/** One file takes every free byte: nothing new fits, however the journal is compacted. */
function fillStorage(sim: SimDevice): void {
  sim.journal.compact();
  const free = sim.journal.stats().freeBytes;
  sim.journal.write('filler', new Uint8Array(free - HEADER_BYTES).fill(0x20));
  assert.is(sim.journal.stats().freeBytes, 0);
}

/** Counter copies a few values below 10,000: the next persist needs a longer file. */
function counterNearFourDigits(sim: SimDevice, newest: number, step: number): void {
  const text = (n: number) => new TextEncoder().encode(String(n));
  sim.journal.write('urgence.ctr', text(newest));
  sim.journal.write('urgence.ctr2', text(newest - step));
}

const counterOf = (m: DeviceMessage): number => (m as { counter: number }).counter;
const faultOf = (m: DeviceMessage): number => (m as { fault: number }).fault;

test('post: on a full Storage a press still puts its alarm on the link', () => {
  const b = new PostBench(bundles.post, post).powerOn();
  b.sim.advance(1000);
  fillStorage(b.sim);
  b.sim.hold(200);
  b.sim.advance(2000);
  assert.is(b.ofType(MessageType.Alarm).length, 1);
  assert.is(b.sim.journal.find('urgence.alm'), undefined, 'kept in RAM only');
  assert.equal(b.sim.uncaught, []);
});

test('post: a full Storage is reported as a self-test fault, after the alarm', () => {
  const b = new PostBench(bundles.post, post).powerOn();
  b.sim.advance(1000);
  fillStorage(b.sim);
  b.sim.hold(200);
  b.sim.advance(2000);
  const types = b.messages().map((m) => m.type);
  const faults = b.ofType(MessageType.Fault);
  assert.equal(faults.map(faultOf), [FaultCode.SelfTestFailed]);
  assert.ok(types.indexOf(MessageType.Alarm) < types.indexOf(MessageType.Fault));
});

test('post: counting on after its counter write was refused, a reboot repeats nothing', () => {
  const b = new PostBench(bundles.post, post);
  // Boot resumes at 9,850 + 2 x 64 = 9,978; the persist at 10,042 needs a longer file.
  counterNearFourDigits(b.sim, 9850, 64);
  b.powerOn();
  b.sim.advance(1000);
  fillStorage(b.sim);
  b.sim.advance(200 * 60000); // 200 heartbeats: past the persist and past two steps
  b.sim.hold(200);
  b.sim.advance(2000);
  assert.is(b.ofType(MessageType.Alarm).length, 1);
  const before = b.messages().map(counterOf);
  assert.ok(Math.max(...before) > 9978 + 128, 'counted past the promise on flash');
  b.sim.powerCut();
  b.sim.powerOn();
  b.sim.advance(10 * 60000);
  const all = b.messages().map(counterOf);
  assert.ok(all.length > before.length);
  assert.is(new Set(all).size, all.length, 'no counter used twice');
  assert.equal(b.sim.uncaught, []);
});

test('wearable: on a full Storage a hold still puts the alarm on air', () => {
  const b = new WearableBench(bundles.wearable, wearable).powerOn();
  b.sim.advance(3000);
  fillStorage(b.sim);
  b.sim.hold(2100);
  b.sim.advance(6000);
  const alarms = b.messages().filter((m) => m.type === MessageType.Alarm);
  assert.is(alarms.length, 1);
  assert.is(b.sim.journal.find('urgence.alm'), undefined, 'kept in RAM only');
  assert.equal(b.sim.uncaught, []);
});

test('wearable: after an alarm on a full Storage, supervision reports the fault', () => {
  const overrides = { supervisionEveryMs: 600000 };
  const b = new WearableBench(bundles.wearable, { ...wearable, overrides }).powerOn();
  b.sim.advance(3000);
  fillStorage(b.sim);
  b.sim.hold(2100);
  b.sim.advance(6000 + 300000 + 600000);
  const faults = b.messages().filter((m) => m.type === MessageType.Fault);
  assert.equal(faults.map(faultOf), [FaultCode.SelfTestFailed]);
});

test('wearable: counting on after its counter write was refused, a reboot repeats nothing', () => {
  const overrides = { supervisionEveryMs: 10000 };
  const b = new WearableBench(bundles.wearable, { ...wearable, overrides });
  // Boot resumes at 9,960 + 2 x 16 = 9,992; the persist at 10,008 needs a longer file.
  counterNearFourDigits(b.sim, 9960, 16);
  b.powerOn();
  b.sim.advance(3000);
  fillStorage(b.sim);
  b.sim.advance(60 * 10000); // 60 supervision bursts: past the persist and two steps
  const before = b.messages().map(counterOf);
  assert.ok(Math.max(...before) > 9992 + 32, 'counted past the promise on flash');
  // A hardware reset keeps the RTC, so the harness can still tell each frame's window.
  b.sim.evaluate('E.reboot()');
  b.sim.settle();
  b.sim.advance(3000);
  b.sim.hold(2100);
  b.sim.advance(6000);
  const all = b.messages().map(counterOf);
  assert.ok(b.messages().some((m) => m.type === MessageType.Alarm));
  assert.is(new Set(all).size, all.length, 'no counter used twice');
  assert.equal(b.sim.uncaught, []);
});

test.run();
