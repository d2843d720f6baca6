import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LoginThrottle } from './throttle';

function throttleAt(clock: { now: number }, extra = {}) {
  return new LoginThrottle({
    baseDelayMs: 100,
    maxDelayMs: 1_000,
    now: () => clock.now,
    ...extra,
  });
}

test('an address without failures is not delayed', () => {
  assert.is(throttleAt({ now: 0 }).delayFor('10.0.0.1'), 0);
});

test('each failure doubles the delay up to the cap', () => {
  const throttle = throttleAt({ now: 0 });
  const delays = [];
  for (let failure = 0; failure < 6; failure += 1) {
    throttle.recordFailure('10.0.0.1');
    delays.push(throttle.delayFor('10.0.0.1'));
  }
  assert.equal(delays, [100, 200, 400, 800, 1_000, 1_000]);
});

test('failures of one address do not delay another', () => {
  const throttle = throttleAt({ now: 0 });
  throttle.recordFailure('10.0.0.1');
  assert.is(throttle.delayFor('10.0.0.2'), 0);
});

test('a success clears the address', () => {
  const throttle = throttleAt({ now: 0 });
  throttle.recordFailure('10.0.0.1');
  throttle.recordSuccess('10.0.0.1');
  assert.is(throttle.delayFor('10.0.0.1'), 0);
});

test('failures are forgotten after a quiet period', () => {
  const clock = { now: 0 };
  const throttle = throttleAt(clock, { forgetAfterMs: 60_000 });
  throttle.recordFailure('10.0.0.1');
  throttle.recordFailure('10.0.0.1');
  clock.now = 60_001;
  assert.is(throttle.delayFor('10.0.0.1'), 0);
  throttle.recordFailure('10.0.0.1');
  assert.is(throttle.delayFor('10.0.0.1'), 100);
});

test('memory is bounded: the oldest address is forgotten first', () => {
  const throttle = throttleAt({ now: 0 }, { maxAddresses: 3 });
  for (const address of ['a', 'b', 'c', 'd']) throttle.recordFailure(address);
  assert.is(throttle.trackedAddresses, 3);
  assert.is(throttle.delayFor('a'), 0);
  assert.is(throttle.delayFor('d'), 100);
});

test('only a bounded number of logins per address are checked at once', () => {
  const throttle = throttleAt({ now: 0 }, { maxPendingPerAddress: 2 });
  assert.ok(throttle.tryBegin('10.0.0.1'));
  assert.ok(throttle.tryBegin('10.0.0.1'));
  assert.not.ok(throttle.tryBegin('10.0.0.1'));
  assert.ok(throttle.tryBegin('10.0.0.2'));
  throttle.end('10.0.0.1');
  assert.ok(throttle.tryBegin('10.0.0.1'));
});

test.run();
