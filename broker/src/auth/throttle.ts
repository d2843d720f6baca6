// Slows down repeated failed logins from one address: each failure doubles the wait
// before that address's next attempt is even checked. Memory stays bounded: the oldest
// addresses are forgotten first, and failures are forgotten after a quiet period.

export interface ThrottleOptions {
  /** Wait after the first failure; doubles with each further one. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Failures older than this (since the last one) are forgotten. */
  forgetAfterMs?: number;
  maxAddresses?: number;
  /** Logins from one address checked at once; more are refused without a check. */
  maxPendingPerAddress?: number;
  now?: () => number;
}

interface FailureRecord {
  failures: number;
  lastAt: number;
}

export class LoginThrottle {
  private readonly failures = new Map<string, FailureRecord>();
  private readonly pending = new Map<string, number>();
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly forgetAfterMs: number;
  private readonly maxAddresses: number;
  private readonly maxPending: number;
  private readonly now: () => number;

  constructor(options: ThrottleOptions = {}) {
    this.baseDelayMs = options.baseDelayMs ?? 250;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.forgetAfterMs = options.forgetAfterMs ?? 15 * 60_000;
    this.maxAddresses = options.maxAddresses ?? 10_000;
    this.maxPending = options.maxPendingPerAddress ?? 4;
    this.now = options.now ?? Date.now;
  }

  /** How long to wait before checking a login from `address`. */
  delayFor(address: string): number {
    const record = this.failures.get(address);
    if (record === undefined) return 0;
    if (this.now() - record.lastAt > this.forgetAfterMs) {
      this.failures.delete(address);
      return 0;
    }
    const exponent = Math.min(record.failures - 1, 30);
    return Math.min(this.baseDelayMs * 2 ** exponent, this.maxDelayMs);
  }

  recordFailure(address: string): void {
    const previous = this.failures.get(address);
    const stale =
      previous !== undefined && this.now() - previous.lastAt > this.forgetAfterMs;
    const failures = previous === undefined || stale ? 1 : previous.failures + 1;
    // Re-inserting moves the address to the newest end of the Map's order.
    this.failures.delete(address);
    this.failures.set(address, { failures, lastAt: this.now() });
    if (this.failures.size > this.maxAddresses) {
      const oldest = this.failures.keys().next();
      if (oldest.done !== true) this.failures.delete(oldest.value);
    }
  }

  recordSuccess(address: string): void {
    this.failures.delete(address);
  }

  /** Claims a check slot for `address`; false when too many are already running. */
  tryBegin(address: string): boolean {
    const running = this.pending.get(address) ?? 0;
    if (running >= this.maxPending) return false;
    this.pending.set(address, running + 1);
    return true;
  }

  end(address: string): void {
    const running = (this.pending.get(address) ?? 1) - 1;
    if (running <= 0) this.pending.delete(address);
    else this.pending.set(address, running);
  }

  get trackedAddresses(): number {
    return this.failures.size;
  }
}
