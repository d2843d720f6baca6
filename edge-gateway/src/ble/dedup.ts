// Collapses the many copies of one wearable frame into one uplink. A wearable repeats its
// frame every advertising interval on three channels (37, 38, 39) until acked, so each
// distinct frame (same bytes: rotating id, masked counter, event, tag) is held for a
// short window to collect its copies, then forwarded once with the best RSSI, first/last
// heard and the copy count; later copies are dropped as duplicates. A device sending too
// many distinct frames is rate-limited.
import type { Clock, TimerHandle } from '../clock';

export type HeardAdvert<T> = {
  /** Identity of the frame: its bytes (hex), so only true copies collapse. */
  key: string;
  /** Identity of the sender for rate limiting: the rotating id hex. */
  sender: string;
  /** The first copy's decoded frame (copies of one key carry the same bytes). */
  advert: T;
  rssi: number;
};

export type CollapsedFrame<T> = {
  /** The frame's identity, as heard: pass it back to forget() if it could not be stored. */
  key: string;
  sender: string;
  advert: T;
  rssi: number;
  firstHeard: number;
  lastHeard: number;
  copies: number;
};

export type DedupOptions<T> = {
  clock: Clock;
  /**
   * 300 ms: one advertising event covers the three channels within ~10 ms and the
   * firmware's interval is >= 100 ms (non-connectable minimum), so the window sees 2-3
   * events, enough to pick the strongest copy; 0.3 s is nothing against the 5-minute
   * alert-to-intervention promise.
   */
  holdMs?: number;
  /** How long a forwarded frame's key is remembered: two rotating-id windows of 15 min. */
  rememberMs?: number;
  /** Distinct frames allowed per sender per rateWindowMs (alarm, cancel, faults: few). */
  rateLimit?: number;
  rateWindowMs?: number;
  forward: (frame: CollapsedFrame<T>) => void;
  drop: (reason: 'duplicate' | 'rate-limited', sender: string) => void;
};

type Holding<T> = CollapsedFrame<T> & { timer: TimerHandle };

export class AdvertDeduplicator<T> {
  private readonly holding = new Map<string, Holding<T>>();
  /** key -> time forwarded; swept on each rate window. */
  private readonly forwarded = new Map<string, number>();
  private readonly recentBySender = new Map<string, number[]>();
  private readonly holdMs: number;
  private readonly rememberMs: number;
  private readonly rateLimit: number;
  private readonly rateWindowMs: number;
  private readonly sweeper: TimerHandle;

  constructor(private readonly options: DedupOptions<T>) {
    this.holdMs = options.holdMs ?? 300;
    this.rememberMs = options.rememberMs ?? 30 * 60_000;
    this.rateLimit = options.rateLimit ?? 5;
    this.rateWindowMs = options.rateWindowMs ?? 10_000;
    this.sweeper = options.clock.setInterval(() => this.sweep(), 60_000);
  }

  hear(advert: HeardAdvert<T>): void {
    const now = this.options.clock.now();
    const held = this.holding.get(advert.key);
    if (held !== undefined) {
      held.copies++;
      held.lastHeard = now;
      if (advert.rssi > held.rssi) held.rssi = advert.rssi;
      return;
    }
    if (this.forwarded.has(advert.key)) {
      this.options.drop('duplicate', advert.sender);
      return;
    }
    if (!this.admit(advert.sender, now)) {
      this.options.drop('rate-limited', advert.sender);
      return;
    }
    const timer = this.options.clock.setTimeout(
      () => this.release(advert.key),
      this.holdMs,
    );
    this.holding.set(advert.key, {
      key: advert.key,
      sender: advert.sender,
      advert: advert.advert,
      rssi: advert.rssi,
      firstHeard: now,
      lastHeard: now,
      copies: 1,
      timer,
    });
  }

  /**
   * The frame forwarded under `key` was not stored (full budget, full disk): its later
   * copies must not be dropped as duplicates, or the alarm is lost until it is forgotten.
   * They are collected and forwarded again, a fresh chance to store it.
   */
  forget(key: string): void {
    this.forwarded.delete(key);
  }

  /** The frame under `key` is stored (perhaps by a retry): later copies are duplicates. */
  remember(key: string): void {
    this.forwarded.set(key, this.options.clock.now());
  }

  /** Forwards what is held at once (on shutdown) and stops the timers. */
  flush(): void {
    for (const key of [...this.holding.keys()]) this.release(key);
    this.options.clock.clearInterval(this.sweeper);
  }

  private release(key: string): void {
    const held = this.holding.get(key);
    if (held === undefined) return;
    this.options.clock.clearTimeout(held.timer);
    this.holding.delete(key);
    this.forwarded.set(key, this.options.clock.now());
    const { sender, advert, rssi, firstHeard, lastHeard, copies } = held;
    this.options.forward({ key, sender, advert, rssi, firstHeard, lastHeard, copies });
  }

  private admit(sender: string, now: number): boolean {
    const recent = (this.recentBySender.get(sender) ?? []).filter(
      (t) => now - t < this.rateWindowMs,
    );
    if (recent.length >= this.rateLimit) {
      this.recentBySender.set(sender, recent);
      return false;
    }
    recent.push(now);
    this.recentBySender.set(sender, recent);
    return true;
  }

  private sweep(): void {
    const now = this.options.clock.now();
    for (const [key, at] of this.forwarded) {
      if (now - at > this.rememberMs) this.forwarded.delete(key);
    }
    for (const [sender, times] of this.recentBySender) {
      if (times.every((t) => now - t >= this.rateWindowMs))
        this.recentBySender.delete(sender);
    }
  }
}
