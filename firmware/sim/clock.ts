// The simulator's fake clock: every timer the bundle sets (setTimeout, setInterval, watch
// debounces, the watchdog) runs from here, and only when the test advances time.

export type TimerCallback = () => void;

interface Timer {
  id: number;
  dueMs: number;
  periodMs: number | undefined;
  run: TimerCallback;
}

export class FakeClock {
  private nowMs: number;
  private timers: Timer[] = [];
  private nextId = 1;

  constructor(startMs = 0) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  schedule(delayMs: number, run: TimerCallback, periodMs?: number): number {
    const id = this.nextId++;
    // Espruino runs a zero or negative timeout on the next idle loop, not at once.
    const due = this.nowMs + Math.max(0, Number.isFinite(delayMs) ? delayMs : 0);
    this.timers.push({ id, dueMs: due, periodMs, run });
    return id;
  }

  cancel(id: unknown): boolean {
    const index = this.timers.findIndex((timer) => timer.id === id);
    if (index < 0) return false;
    this.timers.splice(index, 1);
    return true;
  }

  has(id: unknown): boolean {
    return this.timers.some((timer) => timer.id === id);
  }

  /** Drops every timer (power cut, reset()). */
  clearAll(): void {
    this.timers = [];
  }

  pending(): number {
    return this.timers.length;
  }

  /** Runs every timer due up to now + ms, in time order, then sets the clock there. */
  advance(ms: number): void {
    const end = this.nowMs + ms;
    for (;;) {
      const next = this.nextDue(end);
      if (next === undefined) break;
      this.nowMs = Math.max(this.nowMs, next.dueMs);
      if (next.periodMs === undefined) {
        this.timers.splice(this.timers.indexOf(next), 1);
      } else {
        // Espruino keeps the phase of an interval: the next run is due one period later.
        next.dueMs += Math.max(next.periodMs, 1);
      }
      next.run();
    }
    this.nowMs = end;
  }

  private nextDue(end: number): Timer | undefined {
    let next: Timer | undefined;
    for (const timer of this.timers) {
      if (timer.dueMs > end) continue;
      if (next === undefined || timer.dueMs < next.dueMs) next = timer;
    }
    return next;
  }
}
