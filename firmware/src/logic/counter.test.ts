import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { COUNTER_FILE, createMessageCounter } from './counter';
import { FakeDevice, fakeClock } from '../test/fake-hal';
import type { FakeClock } from '../test/fake-hal';

let clock: FakeClock;
test.before.each(() => {
  clock = fakeClock();
});
test.after.each(() => clock.restore());

test('a first boot starts at 0', () => {
  const counter = createMessageCounter(new FakeDevice(clock), 16);
  assert.is(counter.next(), 0);
});

test('flash is written once per step, not once per message', () => {
  const hal = new FakeDevice(clock);
  const counter = createMessageCounter(hal, 16);
  const before = hal.writes;
  for (let i = 0; i < 160; i++) counter.next();
  assert.is(hal.writes - before, 9);
});

test('after a reboot the counter is above every value used before', () => {
  const hal = new FakeDevice(clock);
  const first = createMessageCounter(hal, 16);
  let last = 0;
  for (let i = 0; i < 37; i++) last = first.next();
  const rebooted = createMessageCounter(hal, 16);
  assert.ok(rebooted.next() > last);
});

test('a garbled counter file restarts at 0 rather than crashing', () => {
  const hal = new FakeDevice(clock);
  hal.files[COUNTER_FILE] = JSON.stringify('nonsense');
  assert.is(createMessageCounter(hal, 16).next(), 0);
});

test.run();
