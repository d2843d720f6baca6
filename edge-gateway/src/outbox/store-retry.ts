// Retries outbox stores that failed for records nobody else will resend: a wearable's
// frame once its copies have been collapsed, a fault record the gateway raised itself.
// (A post's frame needs none: the post is not acked and retransmits it.) Each record is
// tried again after a delay doubling from minMs up to maxMs, until it is stored or the
// gateway stops; a newer attempt under the same key replaces the one waiting.
import type { Clock, TimerHandle } from '../clock';

export type StoreRetryOptions = {
  clock: Clock;
  /** 1 s: a full budget frees itself as soon as the broker receipts a batch. */
  minMs?: number;
  /** 30 s: a full disk needs an operator; an alarm then waits at most this once freed. */
  maxMs?: number;
  /** Called after each failed try with the record's label and the tries so far. */
  failed: (label: string, error: Error, tries: number) => void;
};

type Waiting = { timer: TimerHandle | undefined; tries: number; label: string };

export class StoreRetry {
  private readonly waiting = new Map<string, Waiting>();
  private readonly minMs: number;
  private readonly maxMs: number;
  private stopped = false;

  constructor(private readonly options: StoreRetryOptions) {
    this.minMs = options.minMs ?? 1000;
    this.maxMs = options.maxMs ?? 30_000;
    if (!(this.minMs > 0 && this.maxMs >= this.minMs))
      throw new TypeError('StoreRetry: need 0 < minMs <= maxMs');
  }

  /** Records still waiting for a successful store (telemetry). */
  get size(): number {
    return this.waiting.size;
  }

  /**
   * Tries `store` now, and again after each failure until it succeeds or stop(). The
   * label names the record in logs (the key may be a whole frame, which is not logged).
   */
  run(key: string, store: () => Promise<unknown>, label = key): void {
    if (this.stopped) return;
    const previous = this.waiting.get(key);
    this.options.clock.clearTimeout(previous?.timer);
    const slot: Waiting = { timer: undefined, tries: previous?.tries ?? 0, label };
    this.waiting.set(key, slot);
    this.attempt(key, slot, store);
  }

  stop(): void {
    this.stopped = true;
    for (const slot of this.waiting.values()) this.options.clock.clearTimeout(slot.timer);
    this.waiting.clear();
  }

  private attempt(key: string, slot: Waiting, store: () => Promise<unknown>): void {
    // A slot replaced by a newer run, or dropped by stop(), has nothing more to do.
    const current = () => !this.stopped && this.waiting.get(key) === slot;
    store().then(
      () => {
        if (current()) this.waiting.delete(key);
      },
      (error: Error) => {
        if (!current()) return;
        slot.tries++;
        this.options.failed(slot.label, error, slot.tries);
        const delay = Math.min(
          this.maxMs,
          this.minMs * 2 ** Math.min(slot.tries - 1, 30),
        );
        slot.timer = this.options.clock.setTimeout(
          () => this.attempt(key, slot, store),
          delay,
        );
      },
    );
  }
}
