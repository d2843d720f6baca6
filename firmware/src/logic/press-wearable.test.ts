import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { wearablePress } from './press-wearable';
import { FakeDevice, fakeClock } from '../test/fake-hal';
import type { FakeClock } from '../test/fake-hal';

let clock: FakeClock;
let events: string[];

function setup(): FakeDevice {
  clock = fakeClock();
  events = [];
  const hal = new FakeDevice(clock);
  const press = wearablePress(
    hal,
    { holdMs: 2000, multiPressCount: 3, multiPressWindowMs: 1500 },
    (how) => events.push(how),
    () => events.push('plain'),
  );
  hal.watchButton((pressed) => press.edge(pressed));
  return hal;
}

test.after.each(() => clock.restore());

test('a hold of 2 s triggers', () => {
  const hal = setup();
  hal.press();
  clock.tick(2000);
  assert.equal(events, ['plain', 'hold']);
});

test('a hold released at 1.9 s does not trigger', () => {
  const hal = setup();
  hal.press();
  clock.tick(1900);
  hal.release();
  clock.tick(5000);
  assert.equal(events, ['plain']);
});

test('three presses within 1.5 s trigger', () => {
  const hal = setup();
  hal.tap();
  clock.tick(400);
  hal.tap();
  clock.tick(400);
  hal.tap();
  assert.equal(events, ['plain', 'plain', 'multi']);
});

test('three presses spread over more than 1.5 s do not trigger', () => {
  const hal = setup();
  hal.tap();
  clock.tick(800);
  hal.tap();
  clock.tick(800);
  hal.tap();
  assert.equal(events, ['plain', 'plain', 'plain']);
});

test('the press after a triple press is a plain press, not a second trigger', () => {
  const hal = setup();
  for (let i = 0; i < 4; i++) {
    hal.tap();
    clock.tick(200);
  }
  assert.equal(events, ['plain', 'plain', 'multi', 'plain']);
});

test.run();
