// Replay protection for the ingest: per device, the highest counter seen and which of the
// 32 counters below it were seen (the anti-replay window of RFC 8613 §7.4, OSCORE, after
// RFC 4303 §3.4.3). Serialisable so the ingest can keep it in its database.

import { UINT32_MAX } from './messages';
import { fail, ok } from './result';
import type { Result } from './result';
import { REPLAY_WINDOW_SIZE } from './constants';
export { REPLAY_WINDOW_SIZE } from './constants';

/** JSON form: highest counter seen (-1: none yet) and the seen counters within the window. */
export type ReplayState = { highest: number; recent: number[] };

function isCounter(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    value >= 0 &&
    value <= UINT32_MAX &&
    Math.floor(value) === value
  );
}

export class ReplayWindow {
  highest = -1;
  // slots[c % 32] holds the latest accepted counter congruent to c, or -1. Within the
  // window the 32 counters map to distinct slots, so "slot holds c" means "c was seen".
  private slots: number[] = [];

  constructor() {
    for (let i = 0; i < REPLAY_WINDOW_SIZE; i++) this.slots.push(-1);
  }

  /** Would counter be accepted? Does not record it. */
  check(counter: number): Result<number> {
    if (!isCounter(counter))
      return fail('bad-counter', 'counter must be an integer 0..2^32-1');
    if (counter > this.highest) return ok(counter);
    if (counter <= this.highest - REPLAY_WINDOW_SIZE) {
      return fail(
        'too-old',
        'counter ' + counter + ' is below the window of ' + this.highest,
      );
    }
    if (this.slots[counter % REPLAY_WINDOW_SIZE] === counter) {
      return fail('replay', 'counter ' + counter + ' was already seen');
    }
    return ok(counter);
  }

  /** Checks and, if fresh, records counter. */
  accept(counter: number): Result<number> {
    const verdict = this.check(counter);
    if (!verdict.ok) return verdict;
    this.slots[counter % REPLAY_WINDOW_SIZE] = counter;
    if (counter > this.highest) this.highest = counter;
    return verdict;
  }

  toState(): ReplayState {
    const recent: number[] = [];
    for (let c = this.highest - REPLAY_WINDOW_SIZE + 1; c <= this.highest; c++) {
      if (c >= 0 && this.slots[c % REPLAY_WINDOW_SIZE] === c) recent.push(c);
    }
    return { highest: this.highest, recent: recent };
  }
}

/** Rebuilds a window from stored state, refusing anything inconsistent. */
export function replayWindowFromState(state: unknown): Result<ReplayWindow> {
  if (typeof state !== 'object' || state === null) {
    return fail('bad-state', 'replay state must be an object');
  }
  const stored = (state as { highest?: unknown }).highest;
  const recent = (state as { recent?: unknown }).recent;
  if (stored !== -1 && !isCounter(stored)) {
    return fail('bad-state', 'replay state highest must be -1 or a counter');
  }
  const highest = stored as number;
  if (!Array.isArray(recent) || recent.length > REPLAY_WINDOW_SIZE) {
    return fail('bad-state', 'replay state recent must be a list of at most 32 counters');
  }
  const window = new ReplayWindow();
  for (let i = 0; i < recent.length; i++) {
    const counter: unknown = recent[i];
    if (
      !isCounter(counter) ||
      counter > highest ||
      counter <= highest - REPLAY_WINDOW_SIZE
    ) {
      return fail('bad-state', 'replay state recent holds a counter outside the window');
    }
    window.accept(counter);
  }
  window.highest = highest;
  return ok(window);
}
