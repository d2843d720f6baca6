// One end of the post <-> gateway serial link: stop-and-wait delivery of payloads (sealed
// messages) with sequence numbers, link acks and retransmission. The receiver decides when
// to ack (the gateway acks an alarm only after its outbox fsync), so an ack means "stored".

import { bytesEqual } from './bytes';
import type { ProtocolError, Result } from './result';
import { fail, ok } from './result';
import {
  LinkKind,
  MAX_LINK_PAYLOAD,
  createFrameDecoder,
  encodeDataFrame,
  encodeLinkFrame,
} from './serial-framing';
import type { LinkFrame } from './serial-framing';

/** setTimeout/clearTimeout as Espruino, Node and sinon's fake clock all provide them. */
export type LinkTimer = {
  setTimeout: (callback: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
};

export type LinkOptions = {
  /** Writes bytes to the serial port. */
  write: (bytes: Uint8Array) => void;
  /** A new payload arrived; call accept() once it is stored, and the link ack goes out. */
  onMessage: (payload: Uint8Array, accept: () => void) => void;
  timer: LinkTimer;
  /** Wait for a link ack before sending again; 500 ms is ~50 frames at 9,600 baud. */
  retransmitMs?: number;
  /** 0 (default) retries forever: an alarm is never given up by the link itself. */
  maxAttempts?: number;
  /** Payloads waiting behind the one in flight; send() refuses beyond it. */
  maxQueue?: number;
  maxPayloadBytes?: number;
  onDelivered?: (payload: Uint8Array, seq: number) => void;
  onGaveUp?: (payload: Uint8Array, seq: number) => void;
  /** A frame that was garbage, cut short, oversized or failed its CRC (counted, dropped). */
  onBadFrame?: (error: ProtocolError) => void;
};

export type LinkStats = {
  framesSent: number;
  retransmissions: number;
  framesReceived: number;
  badFrames: number;
  duplicates: number;
};

type Outgoing = { seq: number; payload: Uint8Array; wire: Uint8Array; attempts: number };

type LastReceived = { seq: number; payload: Uint8Array; accepted: boolean };

/**
 * One end of the link as plain closures (names minify); `Link` wraps it for servers.
 * `this: void` tells the Lua build these are plain functions, not methods.
 */
export type LinkEndpoint = {
  stats: LinkStats;
  /** Queues a payload; returns its sequence number, or [queue-full] / [too-large]. */
  send: (this: void, payload: Uint8Array) => Result<number>;
  /** Feed bytes read from the serial port. */
  receive: (this: void, chunk: Uint8Array) => void;
  /** Stops the retransmission timer; queued payloads stay unsent. */
  close: (this: void) => void;
  /** Number of payloads not yet acknowledged (in flight + queued). */
  pending: (this: void) => number;
};

export function createLink(o: LinkOptions): LinkEndpoint {
  const stats: LinkStats = {
    framesSent: 0,
    retransmissions: 0,
    framesReceived: 0,
    badFrames: 0,
    duplicates: 0,
  };
  const maxPayload =
    o.maxPayloadBytes !== undefined ? o.maxPayloadBytes : MAX_LINK_PAYLOAD;
  const retransmitMs = o.retransmitMs !== undefined ? o.retransmitMs : 500;
  const maxAttempts = o.maxAttempts !== undefined ? o.maxAttempts : 0;
  const maxQueue = o.maxQueue !== undefined ? o.maxQueue : 16;
  const decode = createFrameDecoder(maxPayload);
  const queue: Outgoing[] = [];
  let nextSeq = 0;
  let timer: unknown = undefined;
  let last: LastReceived | undefined = undefined;
  const ack = (seq: number): void =>
    o.write(encodeLinkFrame(LinkKind.Ack, seq, new Uint8Array(0)));

  const stopTimer = (): void => {
    if (timer !== undefined) o.timer.clearTimeout(timer);
    timer = undefined;
  };

  // Declared before transmit, which it calls when the timer fires.
  let onTimeout = (): void => undefined;

  const transmit = (): void => {
    const head = queue[0];
    head.attempts += 1;
    stats.framesSent += 1;
    if (head.attempts > 1) stats.retransmissions += 1;
    o.write(head.wire);
    timer = o.timer.setTimeout(() => onTimeout(), retransmitMs);
  };

  // Done with the head (delivered or given up): report it, then send the next one.
  const next = (
    report: ((payload: Uint8Array, seq: number) => void) | undefined,
  ): void => {
    const head = queue.shift();
    if (head !== undefined && report !== undefined) report(head.payload, head.seq);
    if (queue.length > 0) transmit();
  };

  onTimeout = () => {
    timer = undefined;
    const head = queue[0];
    if (head === undefined) return;
    if (maxAttempts > 0 && head.attempts >= maxAttempts) next(o.onGaveUp);
    else transmit();
  };

  const onFrame = (frame: LinkFrame): void => {
    if (frame.kind === LinkKind.Ack) {
      const head = queue[0];
      if (head === undefined || head.seq !== frame.seq) return;
      stopTimer();
      next(o.onDelivered);
      return;
    }
    // A retransmission of what we already have: its ack was lost. Same seq alone is not
    // enough (a rebooted post restarts at seq 0), so the payload must match too.
    if (
      last !== undefined &&
      last.seq === frame.seq &&
      bytesEqual(last.payload, frame.payload)
    ) {
      stats.duplicates += 1;
      if (last.accepted) ack(frame.seq);
      return;
    }
    const received: LastReceived = {
      seq: frame.seq,
      payload: frame.payload,
      accepted: false,
    };
    last = received;
    o.onMessage(frame.payload, () => {
      if (received.accepted) return;
      received.accepted = true;
      ack(received.seq);
    });
  };

  return {
    stats: stats,
    send: (payload) => {
      if (queue.length > maxQueue) return fail('queue-full');
      const wire = encodeDataFrame(nextSeq, payload, maxPayload);
      if (!wire.ok) return fail(wire.error.code);
      const seq = nextSeq;
      nextSeq = (nextSeq + 1) & 0xff;
      queue.push({ seq: seq, payload: payload, wire: wire.value, attempts: 0 });
      if (queue.length === 1) transmit();
      return ok(seq);
    },
    receive: (chunk) => {
      const results = decode(chunk);
      for (let i = 0; i < results.length; i++) {
        const result = results[i];
        if (result.ok) {
          stats.framesReceived += 1;
          onFrame(result.value);
        } else {
          stats.badFrames += 1;
          if (o.onBadFrame !== undefined) o.onBadFrame(result.error);
        }
      }
    },
    close: stopTimer,
    pending: () => queue.length,
  };
}

/** The link endpoint as a class, for servers (the gateway); devices call createLink. */
export class Link {
  stats: LinkStats;
  send: (this: void, payload: Uint8Array) => Result<number>;
  receive: (this: void, chunk: Uint8Array) => void;
  close: (this: void) => void;
  private endpoint: LinkEndpoint;

  constructor(options: LinkOptions) {
    this.endpoint = createLink(options);
    this.stats = this.endpoint.stats;
    this.send = this.endpoint.send;
    this.receive = this.endpoint.receive;
    this.close = this.endpoint.close;
  }

  /** Number of payloads not yet acknowledged (in flight + queued). */
  get pending(): number {
    return this.endpoint.pending();
  }
}
