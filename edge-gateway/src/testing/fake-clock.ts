// A sinon fake clock seen through the gateway's Clock interface (sinon's `now` is a
// property, ours a function). Restore it after each test.
import sinon from 'sinon';
import type { Clock } from '../clock';

export type FakeClock = Clock & {
  tick(ms: number): void;
  /** Advances time, letting promises settle between timers. */
  tickAsync(ms: number): Promise<void>;
  restore(): void;
};

export function fakeClock(now = 1_000_000): FakeClock {
  const fake = sinon.useFakeTimers({
    now,
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  });
  return {
    now: () => fake.now,
    setTimeout: (callback, ms) => fake.setTimeout(callback, ms),
    clearTimeout: (handle) => fake.clearTimeout(handle as number),
    setInterval: (callback, ms) => fake.setInterval(callback, ms),
    clearInterval: (handle) => fake.clearInterval(handle as number),
    tick: (ms) => void fake.tick(ms),
    tickAsync: async (ms) => void (await fake.tickAsync(ms)),
    restore: () => fake.restore(),
  };
}
