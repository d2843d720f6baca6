// Repeated failed logins from one address slow that address down, on a real broker.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GATEWAY_A, loginOutcome, startTestBroker } from './test-support';
import type { TestBroker } from './test-support';

let running: TestBroker;

test.before(async () => {
  running = await startTestBroker({ throttle: { baseDelayMs: 200, maxDelayMs: 5_000 } });
});

test.after(async () => {
  await running.stop();
});

test('after three failures the next login from that address waits 800 ms first', async () => {
  const wrong = {
    clientId: 'gw:gw-a',
    username: 'gw-a',
    password: 'not-the-secret-of-a',
  };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    assert.is((await loginOutcome(running.tcpUrl, wrong)).code, 4);
  }
  const started = Date.now();
  const right = { ...wrong, password: GATEWAY_A.secret };
  assert.is((await loginOutcome(running.tcpUrl, right)).code, 0);
  // 200 ms doubled per failure after the first: 200 × 2² = 800 ms at least.
  assert.ok(Date.now() - started >= 800, `answered after ${Date.now() - started} ms`);
});

test.run();
