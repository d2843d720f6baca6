import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AdvertDeduplicator } from './dedup';
import type { CollapsedFrame } from './dedup';
import { fakeClock } from '../testing/fake-clock';
import type { FakeClock } from '../testing/fake-clock';

let active: FakeClock | undefined;
test.after.each(() => {
  active?.restore();
  active = undefined;
});

function setup(options: { rateLimit?: number } = {}) {
  const clock = fakeClock();
  active = clock;
  const forwarded: CollapsedFrame<string>[] = [];
  const drops: string[] = [];
  const dedup = new AdvertDeduplicator<string>({
    clock,
    ...options,
    forward: (frame) => forwarded.push(frame),
    drop: (reason) => drops.push(reason),
  });
  const hear = (key: string, rssi: number, sender = 'id1') =>
    dedup.hear({ key, sender, advert: key, rssi });
  return { clock, forwarded, drops, dedup, hear };
}

test('copies heard within the hold window become one frame with the best RSSI', () => {
  const { clock, forwarded, hear, dedup } = setup();
  hear('frameA', -80);
  clock.tick(40);
  hear('frameA', -62);
  clock.tick(100);
  hear('frameA', -71);
  assert.is(forwarded.length, 0, 'held for the window');
  clock.tick(300);
  assert.equal(forwarded, [
    {
      key: 'frameA',
      sender: 'id1',
      advert: 'frameA',
      rssi: -62,
      firstHeard: 1_000_000,
      lastHeard: 1_000_140,
      copies: 3,
    },
  ]);
  dedup.flush();
});

test('copies heard after the frame was forwarded are dropped as duplicates', () => {
  const { clock, forwarded, drops, hear, dedup } = setup();
  hear('frameA', -80);
  clock.tick(400);
  for (let i = 0; i < 50; i++) {
    hear('frameA', -50);
    clock.tick(200);
  }
  assert.is(forwarded.length, 1);
  assert.is(drops.filter((d) => d === 'duplicate').length, 50);
  dedup.flush();
});

test('a frame that could not be stored is forwarded again from its later copies', () => {
  const { clock, forwarded, drops, hear, dedup } = setup();
  hear('frameA', -80);
  clock.tick(400);
  dedup.forget('frameA'); // the outbox refused it
  hear('frameA', -75);
  hear('frameA', -70);
  clock.tick(400);
  assert.is(forwarded.length, 2);
  assert.is(forwarded[1].copies, 2);
  assert.is(forwarded[1].rssi, -70);
  assert.equal(drops, [], 'no copy was taken for a duplicate');
  dedup.flush();
});

test('once stored by a retry, a forgotten frame is a duplicate again', () => {
  const { clock, forwarded, drops, hear, dedup } = setup();
  hear('frameA', -80);
  clock.tick(400);
  dedup.forget('frameA');
  dedup.remember('frameA'); // a retry stored it before any copy came
  hear('frameA', -80);
  clock.tick(400);
  assert.is(forwarded.length, 1);
  assert.equal(drops, ['duplicate']);
  dedup.flush();
});

test('a device sending too many distinct frames is rate-limited', () => {
  const { clock, forwarded, drops, hear, dedup } = setup({ rateLimit: 5 });
  for (let i = 0; i < 20; i++) hear(`frame${i}`, -60);
  clock.tick(400);
  assert.is(forwarded.length, 5);
  assert.is(drops.filter((d) => d === 'rate-limited').length, 15);
  hear('frameA', -60, 'another-device');
  clock.tick(400);
  assert.is(forwarded.length, 6, 'other devices are not affected');
  dedup.flush();
});

test('the rate limit lifts once its window has passed', () => {
  const { clock, forwarded, hear, dedup } = setup({ rateLimit: 2 });
  hear('f1', -60);
  hear('f2', -60);
  hear('f3', -60);
  clock.tick(10_001);
  hear('f4', -60);
  clock.tick(400);
  assert.equal(
    forwarded.map((f) => f.advert),
    ['f1', 'f2', 'f4'],
  );
  dedup.flush();
});

test.run();
