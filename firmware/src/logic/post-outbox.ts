// What the post owes its gateway, in order of urgency: the alarm, then faults, then the
// latest heartbeat. One frame is on the line at a time; a failed send is retried after a
// backoff that doubles up to retryMaxMs. "Gateway unreachable" shows once a frame has gone
// out and no link ack has come back for unreachableAfterMs: one lost frame is not an
// outage, and a dead gateway shows even when only heartbeats were waiting.
import type { DeviceHal, TimerHandle } from '../hal';

/** A reliable frame channel (link acks and retransmission below it: logic/post-link.ts). */
export interface FrameLink {
  /** Sends one sealed message; done(true) once the gateway's link ack came back. */
  send(payload: Uint8Array, done: (delivered: boolean) => void): void;
}

export interface OutboxTimings {
  retryFirstMs: number;
  retryMaxMs: number;
  unreachableAfterMs: number;
}

export interface Outbox {
  sendAlarm(sealed: Uint8Array): void;
  sendFault(sealed: Uint8Array): void;
  /** Only the newest heartbeat matters: an unsent older one is replaced. */
  sendHeartbeat(sealed: Uint8Array): void;
  unreachable(): boolean;
  stop(): void;
}

/** Faults waiting beyond this many are dropped oldest first. */
const MAX_FAULTS = 8;

/**
 * onAlarmDelivered: the alarm is safe at the gateway; onReachability: the gateway became
 * (un)reachable.
 */
export function postOutbox(
  hal: DeviceHal,
  link: FrameLink,
  t: OutboxTimings,
  onAlarmDelivered: () => void,
  onReachability: (unreachable: boolean) => void,
): Outbox {
  let alarm: Uint8Array | undefined = undefined;
  const faults: Uint8Array[] = [];
  let heartbeat: Uint8Array | undefined = undefined;
  let sending = false;
  let unreachable = false;
  let backoffMs = t.retryFirstMs;
  let retryTimer: TimerHandle | undefined = undefined;
  /** Runs from the first frame sent since the last link ack; fires = unreachable. */
  let silenceTimer: TimerHandle | undefined = undefined;

  const setReachable = (reachable: boolean): void => {
    if (unreachable !== reachable) return;
    unreachable = reachable === false;
    onReachability(unreachable);
  };

  const watchSilence = (): void => {
    if (silenceTimer !== undefined) return;
    silenceTimer = hal.after(t.unreachableAfterMs, () => {
      silenceTimer = undefined;
      setReachable(false);
    });
  };

  const heardAck = (): void => {
    hal.cancel(silenceTimer);
    silenceTimer = undefined;
    setReachable(true);
  };

  const pump = (): void => {
    if (sending === true || retryTimer !== undefined) return;
    const payload =
      alarm !== undefined ? alarm : faults.length > 0 ? faults[0] : heartbeat;
    if (payload === undefined) return;
    sending = true;
    watchSilence();
    link.send(payload, (delivered) => {
      sending = false;
      if (delivered === true) {
        backoffMs = t.retryFirstMs;
        if (payload === alarm) {
          alarm = undefined;
          onAlarmDelivered();
        } else if (payload === faults[0]) faults.shift();
        else if (payload === heartbeat) heartbeat = undefined;
        heardAck();
      } else {
        // A stale heartbeat is not worth a retry: the next one is due within a minute.
        if (payload === heartbeat) heartbeat = undefined;
        retryTimer = hal.after(backoffMs, () => {
          retryTimer = undefined;
          pump();
        });
        backoffMs = Math.min(backoffMs * 2, t.retryMaxMs);
      }
      pump();
    });
  };

  return {
    sendAlarm: (sealed) => {
      alarm = sealed;
      // An alarm does not wait for the backoff of an earlier failure.
      hal.cancel(retryTimer);
      retryTimer = undefined;
      pump();
    },
    sendFault: (sealed) => {
      if (faults.length >= MAX_FAULTS) faults.shift();
      faults.push(sealed);
      pump();
    },
    sendHeartbeat: (sealed) => {
      heartbeat = sealed;
      pump();
    },
    unreachable: () => unreachable,
    stop: () => {
      hal.cancel(retryTimer);
      retryTimer = undefined;
      hal.cancel(silenceTimer);
      silenceTimer = undefined;
    },
  };
}
