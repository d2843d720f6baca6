import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { once } from 'node:events';
import { pino } from 'pino';
import { GatewayCounters } from '../telemetry';
import { FakeNobleBindings, nobleOver } from '../testing/fake-ble';
import { fakeClock } from '../testing/fake-clock';
import type { FakeClock } from '../testing/fake-clock';
import { wearableAdvert } from '../testing/wearable';
import { BleScanner } from './scanner';
import type { WearableHeard } from './scanner';

const key = new Uint8Array(32).fill(7);
let clock: FakeClock;
let bindings: FakeNobleBindings;
let scanner: BleScanner;
let heard: WearableHeard[];
let counters: GatewayCounters;
let noble: Awaited<ReturnType<typeof nobleOver>>;

test.before.each(async () => {
  clock = fakeClock(Date.UTC(2026, 11, 3, 12));
  bindings = new FakeNobleBindings();
  counters = new GatewayCounters();
  heard = [];
  noble = await nobleOver(bindings);
  scanner = new BleScanner({
    noble,
    counters,
    log: pino({ level: 'silent' }),
    clock,
    onFrame: (frame) => heard.push(frame),
  });
  scanner.start();
  await once(bindings, 'scanStart');
});

test.after.each(async () => {
  await scanner.stop();
  clock.restore();
});

test('repeated adverts of one wearable alarm are handed on once', () => {
  const advert = wearableAdvert(key, { type: 1, counter: 41 }, clock.now());
  // Three copies inside the 300 ms hold, then 37 more after it (one far stronger).
  const rssi = [
    -90,
    -70,
    -85,
    ...Array.from({ length: 37 }, (_, i) => (i === 5 ? -40 : -80)),
  ];
  for (const level of rssi) {
    bindings.advertise('c0:11:22:33:44:55', advert, level);
    clock.tick(100);
  }
  clock.tick(1000);
  assert.is(heard.length, 1);
  assert.is(heard[0].advert.messageType, 1);
  assert.is(heard[0].advert.entryClass, 'alarm');
  assert.is(heard[0].rssi, -70, 'the best RSSI of the copies held');
  assert.is(heard[0].copies, 3);
  assert.is(counters.framesIn.ble, 40);
  assert.is(counters.dropped.duplicate, 37);
});

test('a new counter from the same wearable is a new frame', () => {
  bindings.advertise(
    'c0:11:22:33:44:55',
    wearableAdvert(key, { type: 1, counter: 1 }, clock.now()),
    -60,
  );
  bindings.advertise(
    'c0:11:22:33:44:55',
    wearableAdvert(key, { type: 2, counter: 2 }, clock.now()),
    -60,
  );
  clock.tick(400);
  assert.equal(
    heard.map((h) => h.advert.messageType),
    [1, 2],
  );
});

test("other vendors' adverts are ignored without counting them", () => {
  const apple = Buffer.from('4c000215' + '00'.repeat(22), 'hex');
  bindings.advertise('aa:bb:cc:dd:ee:ff', apple, -40);
  bindings.advertise('aa:bb:cc:dd:ee:fe', Buffer.alloc(0), -40);
  clock.tick(400);
  assert.equal(heard, []);
  assert.equal(counters.dropped, {});
});

test('our company id with a malformed frame is counted and dropped', () => {
  const bad = wearableAdvert(key, { type: 1, counter: 1 }, clock.now());
  bad[2] = 0x70; // frame version 7: unknown
  bindings.advertise('c0:11:22:33:44:55', bad, -60);
  clock.tick(400);
  assert.equal(heard, []);
  assert.is(counters.dropped['bad-frame'], 1);
});

test("noble's cache of rotating addresses is emptied every 10 minutes", () => {
  const cache = (noble as unknown as { _peripherals: Map<string, unknown> })._peripherals;
  for (let i = 0; i < 50; i++) {
    bindings.advertise(
      `c0:00:00:00:00:${i.toString(16).padStart(2, '0')}`,
      Buffer.alloc(3),
      -60,
    );
  }
  assert.is(cache.size, 50);
  clock.tick(10 * 60_000);
  assert.is(cache.size, 0);
});

test.run();
