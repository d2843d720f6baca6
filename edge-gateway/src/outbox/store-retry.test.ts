import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fakeClock } from '../testing/fake-clock';
import type { FakeClock } from '../testing/fake-clock';
import { StoreRetry } from './store-retry';

let clock: FakeClock;
let failures: number[];
let retry: StoreRetry;

test.before.each(() => {
  clock = fakeClock(0);
  failures = [];
  retry = new StoreRetry({
    clock,
    minMs: 1000,
    maxMs: 4000,
    failed: (_key, _error, tries) => failures.push(tries),
  });
});

test.after.each(() => {
  retry.stop();
  clock.restore();
});

/** A store that fails `failing` times, then succeeds; records when it was tried. */
function flakyStore(failing: number) {
  const triedAt: number[] = [];
  const store = () => {
    triedAt.push(clock.now());
    return triedAt.length <= failing
      ? Promise.reject(new Error('outbox is full'))
      : Promise.resolve();
  };
  return { store, triedAt };
}

test('a failed store is tried again after a delay doubling up to the cap', async () => {
  const { store, triedAt } = flakyStore(5);
  retry.run('alarm', store);
  await clock.tickAsync(60_000);
  assert.equal(triedAt, [0, 1000, 3000, 7000, 11_000, 15_000]);
  assert.equal(failures, [1, 2, 3, 4, 5]);
});

test('a stored record is forgotten and tried no more', async () => {
  const { store, triedAt } = flakyStore(1);
  retry.run('alarm', store);
  await clock.tickAsync(0);
  assert.is(retry.size, 1, 'waiting after its failure');
  await clock.tickAsync(60_000);
  assert.is(triedAt.length, 2);
  assert.is(retry.size, 0);
});

test('a newer attempt under the same key replaces the waiting one at once', async () => {
  const first = flakyStore(100);
  retry.run('frame', first.store);
  await clock.tickAsync(1500); // tried at 0 and 1000, next at 3000
  const later = flakyStore(0);
  retry.run('frame', later.store);
  await clock.tickAsync(60_000);
  assert.equal(first.triedAt, [0, 1000], 'the old attempt stops');
  assert.equal(later.triedAt, [1500], 'the new one runs at once and succeeds');
  assert.is(retry.size, 0);
});

test('failures are reported under the label, not the key', async () => {
  const labels: string[] = [];
  const labelled = new StoreRetry({ clock, failed: (label) => labels.push(label) });
  labelled.run('a1b2c3 (a whole frame)', flakyStore(1).store, 'ble:0102030405060708');
  await clock.tickAsync(5000);
  assert.equal(labels, ['ble:0102030405060708']);
  labelled.stop();
});

test('stop() ends every retry', async () => {
  const { store, triedAt } = flakyStore(100);
  retry.run('fault', store);
  await clock.tickAsync(0);
  retry.stop();
  await clock.tickAsync(60_000);
  assert.equal(triedAt, [0]);
  assert.is(retry.size, 0);
});

test('bad delays are refused with the reason', () => {
  assert.throws(
    () => new StoreRetry({ clock, minMs: 0, failed: () => {} }),
    /0 < minMs <= maxMs/,
  );
});

test.run();
