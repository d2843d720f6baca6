import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { postPress } from './press-post';
import type { PostPress } from './press-post';
import { FakeDevice, fakeClock } from '../test/fake-hal';
import type { FakeClock } from '../test/fake-hal';

let clock: FakeClock;
let events: string[];

function setup(): { hal: FakeDevice; press: PostPress } {
  clock = fakeClock();
  events = [];
  const hal = new FakeDevice(clock);
  const press = postPress(
    hal,
    { repeatIgnoreMs: 10000, stuckButtonMs: 30000 },
    {
      onPress: () => events.push('press'),
      onIgnoredPress: () => events.push('ignored'),
      onStuck: () => events.push('stuck'),
      onUnstuck: () => events.push('unstuck'),
    },
  );
  hal.watchButton((pressed) => press.edge(pressed));
  press.start();
  return { hal, press };
}

test.after.each(() => clock.restore());

test('one press raises at once', () => {
  const { hal } = setup();
  hal.press();
  assert.equal(events, ['press']);
});

test('a second press within 10 s is ignored', () => {
  const { hal } = setup();
  hal.tap();
  clock.tick(9000);
  hal.tap();
  assert.equal(events, ['press', 'ignored']);
});

test('a press 10 s after the first raises again', () => {
  const { hal } = setup();
  hal.tap();
  clock.tick(10000);
  hal.tap();
  assert.equal(events, ['press', 'press']);
});

test('a button held 30 s is reported stuck once, with a single press', () => {
  const { hal } = setup();
  hal.press();
  clock.tick(120000);
  assert.equal(events, ['press', 'stuck']);
});

test('a held button released before 30 s is not stuck', () => {
  const { hal } = setup();
  hal.press();
  clock.tick(29000);
  hal.release();
  clock.tick(60000);
  assert.equal(events, ['press']);
});

test('releasing a stuck button clears the fault', () => {
  const { hal } = setup();
  hal.press();
  clock.tick(31000);
  hal.release();
  assert.equal(events, ['press', 'stuck', 'unstuck']);
});

test('a button down at boot raises nothing but is reported stuck after 30 s', () => {
  clock = fakeClock();
  events = [];
  const hal = new FakeDevice(clock);
  hal.button = true;
  const press = postPress(
    hal,
    { repeatIgnoreMs: 10000, stuckButtonMs: 30000 },
    {
      onPress: () => events.push('press'),
      onIgnoredPress: () => events.push('ignored'),
      onStuck: () => events.push('stuck'),
      onUnstuck: () => events.push('unstuck'),
    },
  );
  press.start();
  clock.tick(30000);
  assert.equal(events, ['stuck']);
});

test.run();
