// Counters an operator reads in the gateway's telemetry (every 30 s on
// urgence/v1/gw/<id>/telemetry): what came in, what went out, what was dropped and why.
export type DropReason =
  | 'bad-crc'
  | 'truncated'
  | 'too-large'
  | 'bad-frame'
  | 'not-ours'
  | 'duplicate'
  | 'rate-limited'
  | 'outbox-full'
  | 'bad-downlink'
  | 'no-route'
  | 'stale-ack'
  | 'ack-expired'
  | 'ack-overflow'
  | string;

export class GatewayCounters {
  readonly framesIn = { serial: 0, ble: 0 };
  /** Uplinks receipted by the broker (QoS 2 complete). */
  framesOut = 0;
  readonly dropped: Record<string, number> = {};
  readonly downlink = { received: 0, delivered: 0 };
  reconnects = 0;

  drop(reason: DropReason, n = 1): void {
    this.dropped[reason] = (this.dropped[reason] ?? 0) + n;
  }
}

export type LinkReport = {
  port: string;
  state: string;
  posts: { device: string; lastHeardMs: number | null; fault: boolean }[];
};
