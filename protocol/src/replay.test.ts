import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { counterExhausted, counterOnBoot, mustPersist } from './counters';
import { ReplayWindow, replayWindowFromState } from './replay';

function verdict(window: ReplayWindow, counter: number): string {
  const result = window.accept(counter);
  return result.ok ? 'fresh' : result.error.code;
}

test('a counter is accepted once and refused as a replay the second time', () => {
  const window = new ReplayWindow();
  assert.is(verdict(window, 10), 'fresh');
  assert.is(verdict(window, 10), 'replay');
});

test('counters may arrive out of order within 32 of the highest', () => {
  const window = new ReplayWindow();
  assert.is(verdict(window, 100), 'fresh');
  assert.is(verdict(window, 69), 'fresh');
  assert.is(verdict(window, 99), 'fresh');
  assert.is(verdict(window, 69), 'replay');
  assert.is(verdict(window, 99), 'replay');
});

test('a counter 32 or more below the highest is refused as too-old', () => {
  const window = new ReplayWindow();
  window.accept(100);
  assert.is(verdict(window, 68), 'too-old');
  assert.is(verdict(window, 0), 'too-old');
});

test('a counter seen before the window slid past its slot is still refused', () => {
  const window = new ReplayWindow();
  window.accept(5);
  window.accept(37);
  // 5 and 37 share slot 5; 5 is now outside the window, so too-old, never fresh.
  assert.is(verdict(window, 5), 'too-old');
  assert.is(verdict(window, 37), 'replay');
});

test('check() does not record the counter', () => {
  const window = new ReplayWindow();
  assert.ok(window.check(3).ok);
  assert.ok(window.check(3).ok);
  assert.is(window.highest, -1);
});

test('a non-integer or negative counter is bad-counter', () => {
  const window = new ReplayWindow();
  assert.is(verdict(window, -1), 'bad-counter');
  assert.is(verdict(window, 1.5), 'bad-counter');
  assert.is(verdict(window, 4294967296), 'bad-counter');
});

test('the window survives serialisation: replays stay refused, gaps stay open', () => {
  const window = new ReplayWindow();
  for (const counter of [1, 2, 3, 40, 38, 70]) window.accept(counter);
  const state = JSON.parse(JSON.stringify(window.toState()));
  assert.equal(state, { highest: 70, recent: [40, 70] });
  const restored = replayWindowFromState(state);
  assert.ok(restored.ok);
  if (!restored.ok) return;
  assert.is(verdict(restored.value, 40), 'replay');
  assert.is(verdict(restored.value, 39), 'fresh');
  assert.is(verdict(restored.value, 38), 'too-old');
});

test('stored state that does not make sense is refused as bad-state', () => {
  const codes = [
    null,
    { highest: 'x', recent: [] },
    { highest: 10, recent: [11] },
    { highest: 100, recent: [50] },
    { highest: 10, recent: 'nope' },
  ].map((state) => {
    const result = replayWindowFromState(state);
    return result.ok ? 'ok' : result.error.code;
  });
  assert.equal(codes, ['bad-state', 'bad-state', 'bad-state', 'bad-state', 'bad-state']);
});

test('a fresh window serialises as highest -1 and restores', () => {
  const restored = replayWindowFromState(new ReplayWindow().toState());
  assert.ok(restored.ok && restored.value.highest === -1);
});

test('persisting every K steps never reuses a counter across reboots', () => {
  const step = 16;
  let persisted = 0;
  const used = new Set<number>();
  let counter = counterOnBoot(persisted, step);
  let writes = 0;
  for (let boot = 0; boot < 50; boot++) {
    const messagesBeforeCrash = (boot * 7) % 40;
    for (let m = 0; m < messagesBeforeCrash; m++) {
      if (mustPersist(counter, persisted, step)) {
        persisted = counter;
        writes += 1;
      }
      assert.not.ok(used.has(counter));
      used.add(counter);
      counter += 1;
    }
    counter = counterOnBoot(persisted, step);
  }
  assert.ok(writes < used.size / 4);
});

test('on boot the counter resumes at stored + K and must be persisted before use', () => {
  const next = counterOnBoot(160, 16);
  assert.is(next, 176);
  assert.ok(mustPersist(next, 160, 16));
  assert.not.ok(mustPersist(175, 160, 16));
});

test('a counter past 2^32-1 is exhausted', () => {
  assert.not.ok(counterExhausted(4294967295));
  assert.ok(counterExhausted(4294967296));
});

test.run();
