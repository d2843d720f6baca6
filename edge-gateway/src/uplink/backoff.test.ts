import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { backoffBase, reconnectDelay } from './backoff';

test('the delay doubles per failed attempt', () => {
  const middle = () => 0.5;
  assert.equal(
    [0, 1, 2, 3].map((a) => reconnectDelay(a, 1000, 60_000, middle)),
    [1000, 2000, 4000, 8000],
  );
});

test('the delay never passes the maximum, jitter aside', () => {
  assert.is(
    reconnectDelay(40, 1000, 30_000, () => 0.5),
    30_000,
  );
});

test('jitter spreads the delay between half and one and a half times the base', () => {
  assert.is(
    reconnectDelay(0, 1000, 30_000, () => 0),
    500,
  );
  assert.is(
    reconnectDelay(0, 1000, 30_000, () => 0.999),
    1499,
  );
});

test('the base reaches the cap after log2(max/min) failures and stays there', () => {
  assert.equal(
    [0, 1, 2, 3, 4, 50].map((a) => backoffBase(a, 500, 4000)),
    [500, 1000, 2000, 4000, 4000, 4000],
  );
});

test.run();
