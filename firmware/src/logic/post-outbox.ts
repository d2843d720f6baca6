// What the post owes its gateway, in order of urgency: the alarm, then faults, then the
// latest heartbeat. One frame is on the line at a time; a failed send shows "gateway
// unreachable" and is retried after a backoff that doubles up to retryMaxMs.
import type { DeviceHal, TimerHandle } from '../hal';

/** A reliable frame channel (link acks and retransmission below it: logic/post-link.ts). */
export interface FrameLink {
  /** Sends one sealed message; done(true) once the gateway's link ack came back. */
  send(payload: Uint8Array, done: (delivered: boolean) => void): void;
}

export interface OutboxTimings {
  retryFirstMs: number;
  retryMaxMs: number;
}

/** Faults waiting beyond this many are dropped oldest first (and counted). */
const MAX_FAULTS = 8;

export class PostOutbox {
  unreachable = false;
  dropped = 0;
  private alarm: Uint8Array | undefined = undefined;
  private readonly faults: Uint8Array[] = [];
  private heartbeat: Uint8Array | undefined = undefined;
  private sending = false;
  private backoffMs: number;
  private retryTimer: TimerHandle | undefined = undefined;

  constructor(
    private readonly hal: DeviceHal,
    private readonly link: FrameLink,
    private readonly t: OutboxTimings,
    /** Told when the alarm is safe at the gateway, and when reachability changes. */
    private readonly onAlarmDelivered: () => void,
    private readonly onReachability: (unreachable: boolean) => void,
  ) {
    this.backoffMs = t.retryFirstMs;
  }

  sendAlarm(sealed: Uint8Array): void {
    this.alarm = sealed;
    this.retryNow();
  }

  sendFault(sealed: Uint8Array): void {
    if (this.faults.length >= MAX_FAULTS) {
      this.faults.shift();
      this.dropped++;
    }
    this.faults.push(sealed);
    this.pump();
  }

  /** Only the newest heartbeat matters: an unsent older one is replaced. */
  sendHeartbeat(sealed: Uint8Array): void {
    this.heartbeat = sealed;
    this.pump();
  }

  alarmPending(): boolean {
    return this.alarm !== undefined;
  }

  stop(): void {
    this.hal.cancel(this.retryTimer);
    this.retryTimer = undefined;
  }

  /** An alarm does not wait for the backoff of an earlier failure. */
  private retryNow(): void {
    this.hal.cancel(this.retryTimer);
    this.retryTimer = undefined;
    this.pump();
  }

  private pump(): void {
    if (this.sending === true || this.retryTimer !== undefined) return;
    let payload = this.alarm;
    let kind = 'alarm';
    if (payload === undefined && this.faults.length > 0) {
      payload = this.faults[0];
      kind = 'fault';
    }
    if (payload === undefined) {
      payload = this.heartbeat;
      kind = 'heartbeat';
    }
    if (payload === undefined) return;

    const sent = payload;
    this.sending = true;
    this.link.send(sent, (delivered) => {
      this.sending = false;
      if (delivered === true) this.delivered(kind, sent);
      else this.failed(kind);
      this.pump();
    });
  }

  private delivered(kind: string, sent: Uint8Array): void {
    this.backoffMs = this.t.retryFirstMs;
    if (kind === 'alarm' && this.alarm === sent) {
      this.alarm = undefined;
      this.onAlarmDelivered();
    }
    if (kind === 'fault' && this.faults[0] === sent) this.faults.shift();
    if (kind === 'heartbeat' && this.heartbeat === sent) this.heartbeat = undefined;
    if (this.unreachable === true) {
      this.unreachable = false;
      this.onReachability(false);
    }
  }

  private failed(kind: string): void {
    // A stale heartbeat is not worth a retry: the next one is due within a minute.
    if (kind === 'heartbeat') this.heartbeat = undefined;
    if (this.unreachable === false) {
      this.unreachable = true;
      this.onReachability(true);
    }
    this.retryTimer = this.hal.after(this.backoffMs, () => {
      this.retryTimer = undefined;
      this.pump();
    });
    this.backoffMs = Math.min(this.backoffMs * 2, this.t.retryMaxMs);
  }
}
