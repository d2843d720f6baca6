// Supervision beside the alarm path: a gateway that went offline (its last will or a
// disconnect) or a device silent past its deadline becomes a fault in the feed within a
// bound, 90 s by default (EN 50136-1's DP4 reporting time for a path failure).
import type { Logger } from 'pino';
import type { Database } from 'better-sqlite3';
import type { FaultBook } from './fault-book';

export interface SupervisionOptions {
  /** Bound from the event (offline, deadline passed) to the fault in the feed. */
  readonly reportWithinMs: number;
  /** Posts heartbeat at this interval; silent after three missed beats. */
  readonly postHeartbeatMs: number;
  /**
   * A wearable silent this long is a fault: it checks in at least daily (DESIGN.md), and
   * the default adds an hour for a late one.
   */
  readonly wearableDeadlineMs: number;
  /**
   * How often the checks run; at most reportWithinMs, default a third of it, so a fault
   * is published at most one period after its grace or deadline has passed.
   */
  readonly checkPeriodMs?: number;
  /** A gateway back within this time after going offline raises no fault (a blip). */
  readonly gatewayGraceMs: number;
}

export const defaultSupervision: SupervisionOptions = {
  reportWithinMs: 90_000,
  postHeartbeatMs: 60_000,
  wearableDeadlineMs: 25 * 60 * 60_000,
  gatewayGraceMs: 30_000,
};

export interface Timers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export class Supervisor {
  private readonly db: Database;
  private readonly faults: FaultBook;
  private readonly options: SupervisionOptions;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly startedAt: number;
  private readonly offlineSince = new Map<string, number>();
  private ticking: unknown;
  private readonly timers: Timers;
  private readonly alsoCheck: () => Promise<void>;

  constructor(deps: {
    db: Database;
    faults: FaultBook;
    options?: Partial<SupervisionOptions>;
    logger: Logger;
    now: () => number;
    timers?: Timers;
    /** Runs on every check too (the five-minute clock watch). */
    alsoCheck?: () => Promise<void>;
  }) {
    this.alsoCheck = deps.alsoCheck ?? (() => Promise.resolve());
    this.db = deps.db;
    this.faults = deps.faults;
    this.options = { ...defaultSupervision, ...deps.options };
    this.logger = deps.logger;
    this.now = deps.now;
    this.startedAt = deps.now();
    this.timers = deps.timers ?? {
      setInterval: (fn, ms) => setInterval(fn, ms),
      clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
    };
  }

  /** Deadline after which a device of this kind counts as silent. */
  deadlineMs(kind: 'post' | 'wearable'): number {
    return kind === 'post'
      ? this.options.postHeartbeatMs * 3
      : this.options.wearableDeadlineMs;
  }

  /** Checks every period (default a third of the reporting bound). */
  start(): void {
    this.expectRegisteredGateways();
    const period =
      this.options.checkPeriodMs ??
      Math.max(1, Math.floor(this.options.reportWithinMs / 3));
    this.ticking = this.timers.setInterval(() => {
      this.check().catch((error: unknown) =>
        this.logger.error({ err: error }, 'supervision check failed'),
      );
    }, period);
  }

  stop(): void {
    if (this.ticking !== undefined) this.timers.clearInterval(this.ticking);
    this.ticking = undefined;
  }

  /**
   * Every registered gateway counts as offline from start until it connects: one that
   * never comes back after a broker restart must still become a fault.
   */
  private expectRegisteredGateways(): void {
    const rows = this.db.prepare('SELECT id FROM gateways WHERE retired = 0').all() as {
      id: string;
    }[];
    for (const row of rows) this.offlineSince.set(row.id, this.startedAt);
  }

  /** A gateway's state from its retained state topic, its last will, or a disconnect. */
  async gatewayState(gatewayId: string, state: 'online' | 'offline'): Promise<void> {
    const at = this.now();
    if (state === 'offline') {
      if (!this.offlineSince.has(gatewayId)) this.offlineSince.set(gatewayId, at);
      this.logger.info({ gateway: gatewayId }, 'gateway offline');
      return;
    }
    this.offlineSince.delete(gatewayId);
    await this.faults.clear('gateway-offline', { gatewayId }, at);
  }

  async check(): Promise<void> {
    await this.alsoCheck();
    const at = this.now();
    for (const [gatewayId, since] of this.offlineSince) {
      if (at - since < this.options.gatewayGraceMs) continue;
      await this.faults.open('gateway-offline', { gatewayId }, since, 'gateway offline');
    }
    for (const silent of this.silentDevices(at)) {
      const detail = `no message since ${new Date(silent.since).toISOString()}`;
      await this.faults.open('device-silent', { deviceId: silent.id }, at, detail);
    }
  }

  /**
   * Devices past their deadline that have no open silent fault yet. A device never heard
   * counts from the supervisor's start, so a broker restart does not declare every post
   * silent before gateways have reconnected and flushed their outboxes.
   */
  private silentDevices(at: number): { id: string; since: number }[] {
    const rows = this.db
      .prepare(
        `SELECT d.id AS id, max(coalesce(s.last_seen, 0), @start) AS since
           FROM devices d LEFT JOIN device_state s ON s.device_id = d.id
          WHERE d.retired = 0
            AND max(coalesce(s.last_seen, 0), @start) <
                @at - CASE d.kind WHEN 'post' THEN @post ELSE @wearable END
            AND NOT EXISTS (SELECT 1 FROM faults f WHERE f.kind = 'device-silent'
                              AND f.device_id = d.id AND f.gateway_id IS NULL
                              AND f.cleared_at IS NULL)`,
      )
      .all({
        start: this.startedAt,
        at,
        post: this.deadlineMs('post'),
        wearable: this.deadlineMs('wearable'),
      }) as { id: string; since: number }[];
    return rows;
  }
}
