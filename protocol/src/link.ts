// One end of the post <-> gateway serial link: stop-and-wait delivery of payloads (sealed
// messages) with sequence numbers, link acks and retransmission. The receiver decides when
// to ack (the gateway acks an alarm only after its outbox fsync), so an ack means "stored".

import { bytesEqual } from './bytes';
import type { ProtocolError, Result } from './result';
import { fail, ok } from './result';
import { FrameDecoder, LinkEncoder, LinkKind, MAX_LINK_PAYLOAD } from './serial-framing';
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

export class Link {
  stats: LinkStats = {
    framesSent: 0,
    retransmissions: 0,
    framesReceived: 0,
    badFrames: 0,
    duplicates: 0,
  };
  private options: LinkOptions;
  private encoder: LinkEncoder;
  private decoder: FrameDecoder;
  private queue: Outgoing[] = [];
  private nextSeq = 0;
  private retransmitTimer: unknown = undefined;
  private lastReceived: LastReceived | undefined = undefined;

  constructor(options: LinkOptions) {
    this.options = options;
    const maxPayload =
      options.maxPayloadBytes !== undefined ? options.maxPayloadBytes : MAX_LINK_PAYLOAD;
    this.encoder = new LinkEncoder(maxPayload);
    this.decoder = new FrameDecoder(maxPayload);
  }

  /** Number of payloads not yet acknowledged (in flight + queued). */
  get pending(): number {
    return this.queue.length;
  }

  /** Queues a payload; returns its sequence number. */
  send(payload: Uint8Array): Result<number> {
    const maxQueue = this.options.maxQueue !== undefined ? this.options.maxQueue : 16;
    if (this.queue.length > maxQueue) {
      return fail(
        'queue-full',
        'link queue holds ' + this.queue.length + ' payloads already',
      );
    }
    const seq = this.nextSeq;
    const wire = this.encoder.data(seq, payload);
    if (!wire.ok) return wire;
    this.nextSeq = (this.nextSeq + 1) & 0xff;
    this.queue.push({ seq: seq, payload: payload, wire: wire.value, attempts: 0 });
    if (this.queue.length === 1) this.transmitHead();
    return ok(seq);
  }

  /** Feed bytes read from the serial port. */
  receive(chunk: Uint8Array): void {
    const results = this.decoder.push(chunk);
    for (let i = 0; i < results.length; i++) {
      const result = results[i];
      if (result.ok) {
        this.stats.framesReceived += 1;
        this.handleFrame(result.value);
      } else {
        this.stats.badFrames += 1;
        if (this.options.onBadFrame !== undefined) this.options.onBadFrame(result.error);
      }
    }
  }

  /** Stops the retransmission timer; queued payloads stay unsent. */
  close(): void {
    this.stopTimer();
  }

  private handleFrame(frame: LinkFrame): void {
    if (frame.kind === LinkKind.Ack) {
      this.handleAck(frame.seq);
      return;
    }
    const last = this.lastReceived;
    // A retransmission of what we already have: its ack was lost. Same seq alone is not
    // enough (a rebooted post restarts at seq 0), so the payload must match too.
    if (
      last !== undefined &&
      last.seq === frame.seq &&
      bytesEqual(last.payload, frame.payload)
    ) {
      this.stats.duplicates += 1;
      if (last.accepted) this.options.write(this.encoder.ack(frame.seq));
      return;
    }
    const received: LastReceived = {
      seq: frame.seq,
      payload: frame.payload,
      accepted: false,
    };
    this.lastReceived = received;
    const accept = (): void => {
      if (received.accepted) return;
      received.accepted = true;
      this.options.write(this.encoder.ack(received.seq));
    };
    this.options.onMessage(frame.payload, accept);
  }

  private handleAck(seq: number): void {
    const head = this.queue[0];
    if (head === undefined || head.seq !== seq) return;
    this.stopTimer();
    this.queue.shift();
    if (this.options.onDelivered !== undefined)
      this.options.onDelivered(head.payload, head.seq);
    if (this.queue.length > 0) this.transmitHead();
  }

  private transmitHead(): void {
    const head = this.queue[0];
    head.attempts += 1;
    this.stats.framesSent += 1;
    if (head.attempts > 1) this.stats.retransmissions += 1;
    this.options.write(head.wire);
    const retransmitMs =
      this.options.retransmitMs !== undefined ? this.options.retransmitMs : 500;
    this.retransmitTimer = this.options.timer.setTimeout(
      () => this.onTimeout(),
      retransmitMs,
    );
  }

  private onTimeout(): void {
    this.retransmitTimer = undefined;
    const head = this.queue[0];
    if (head === undefined) return;
    const maxAttempts =
      this.options.maxAttempts !== undefined ? this.options.maxAttempts : 0;
    if (maxAttempts > 0 && head.attempts >= maxAttempts) {
      this.queue.shift();
      if (this.options.onGaveUp !== undefined)
        this.options.onGaveUp(head.payload, head.seq);
      if (this.queue.length > 0) this.transmitHead();
      return;
    }
    this.transmitHead();
  }

  private stopTimer(): void {
    if (this.retransmitTimer !== undefined) {
      this.options.timer.clearTimeout(this.retransmitTimer);
      this.retransmitTimer = undefined;
    }
  }
}
