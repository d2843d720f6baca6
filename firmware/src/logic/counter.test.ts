import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { COUNTER_FILE, COUNTER_SPARE_FILE, createMessageCounter } from './counter';
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

/** Uses `count` counters on a fresh device and returns the device and the last one used. */
function used(count: number): { hal: FakeDevice; last: number } {
  const hal = new FakeDevice(clock);
  const counter = createMessageCounter(hal, 16);
  let last = -1;
  for (let i = 0; i < count; i++) last = counter.next();
  return { hal, last };
}

/** What a copy holds, -1 when absent. */
function copyOf(hal: FakeDevice, file: string): number {
  const text = hal.files[file];
  return typeof text === 'string' ? (JSON.parse(text) as number) : -1;
}

/** The copy written last: the one a write cut short would have spoilt. */
function newestCopy(hal: FakeDevice): string {
  return copyOf(hal, COUNTER_FILE) > copyOf(hal, COUNTER_SPARE_FILE)
    ? COUNTER_FILE
    : COUNTER_SPARE_FILE;
}

test('the counter is kept in two copies, each write over the older one', () => {
  const { hal } = used(40);
  assert.is(Math.abs(copyOf(hal, COUNTER_FILE) - copyOf(hal, COUNTER_SPARE_FILE)), 16);
});

for (const [what, spoil] of [
  ['garbled', (hal: FakeDevice, file: string) => (hal.files[file] = '"nonsense"')],
  ['lost', (hal: FakeDevice, file: string) => delete hal.files[file]],
] as const) {
  for (const copy of ['newest', 'older'] as const) {
    test(`a ${what} ${copy} counter copy never makes a counter repeat`, () => {
      for (let count = 1; count < 70; count++) {
        const { hal, last } = used(count);
        const newest = newestCopy(hal);
        const other = newest === COUNTER_FILE ? COUNTER_SPARE_FILE : COUNTER_FILE;
        spoil(hal, copy === 'newest' ? newest : other);
        const rebooted = createMessageCounter(hal, 16);
        assert.ok(rebooted.next() > last, `after ${count} counters`);
      }
    });
  }
}

test('after a spoilt copy the counter keeps both copies again and keeps rising', () => {
  const { hal, last } = used(37);
  hal.files[newestCopy(hal)] = '"nonsense"';
  const rebooted = createMessageCounter(hal, 16);
  let latest = last;
  for (let i = 0; i < 40; i++) latest = rebooted.next();
  assert.ok(copyOf(hal, COUNTER_FILE) >= 0 && copyOf(hal, COUNTER_SPARE_FILE) >= 0);
  assert.ok(createMessageCounter(hal, 16).next() > latest);
});

test('a counter whose write Storage refuses keeps counting in RAM, never repeating', () => {
  const { hal } = used(40);
  hal.full = true;
  const counter = createMessageCounter(hal, 16);
  const seen = new Set<number>();
  for (let i = 0; i < 200; i++) seen.add(counter.next());
  assert.is(seen.size, 200);
});

test('a refused write leaves the newest copy whole and erases its own target', () => {
  const { hal } = used(40);
  const newest = newestCopy(hal);
  const promise = copyOf(hal, newest);
  hal.full = true;
  const counter = createMessageCounter(hal, 16);
  for (let i = 0; i < 100; i++) counter.next();
  assert.is(copyOf(hal, newest), promise);
  const other = newest === COUNTER_FILE ? COUNTER_SPARE_FILE : COUNTER_FILE;
  assert.is(hal.files[other], undefined);
});

for (const reboots of ['with Storage still full', 'once Storage has room again']) {
  test(`a reboot after counting on a full Storage never repeats a value, ${reboots}`, () => {
    for (const count of [1, 15, 16, 17, 40, 1000]) {
      const { hal } = used(40);
      hal.full = true;
      const counter = createMessageCounter(hal, 16);
      let last = -1;
      for (let i = 0; i < count; i++) last = counter.next();
      hal.full = reboots === 'with Storage still full';
      const rebooted = createMessageCounter(hal, 16);
      assert.ok(rebooted.next() > last, `after ${count} counters in RAM`);
    }
  });
}

test('a refused write is tried again a step later, not with every message', () => {
  const { hal } = used(40);
  hal.full = true;
  const counter = createMessageCounter(hal, 16);
  const atBoot = hal.refusals;
  for (let i = 0; i < 64; i++) counter.next();
  assert.is(
    hal.refusals - atBoot,
    3,
    'at 16, 32 and 48 past the boot value, not 48 times',
  );
});

test('once Storage takes writes again the counter keeps both copies again', () => {
  const { hal } = used(40);
  hal.full = true;
  const counter = createMessageCounter(hal, 16);
  for (let i = 0; i < 20; i++) counter.next();
  hal.full = false;
  let last = -1;
  for (let i = 0; i < 40; i++) last = counter.next();
  assert.ok(copyOf(hal, COUNTER_FILE) >= 0 && copyOf(hal, COUNTER_SPARE_FILE) >= 0);
  const rebooted = createMessageCounter(hal, 16);
  assert.ok(rebooted.next() > last);
});

test('a copy found alone makes the boot jump past a run in RAM, not a mere two steps', () => {
  const { hal, last } = used(40);
  hal.files[newestCopy(hal) === COUNTER_FILE ? COUNTER_SPARE_FILE : COUNTER_FILE] =
    undefined;
  const rebooted = createMessageCounter(hal, 16);
  assert.ok(rebooted.next() > last + 65535);
});

test.run();
