// A FrameLink whose deliveries the test decides: each send waits until deliver() answers.
import type { FrameLink } from '../logic/post-outbox';

export class FakeLink implements FrameLink {
  pending: { payload: Uint8Array; done: (delivered: boolean) => void }[] = [];
  sent: Uint8Array[] = [];

  send(payload: Uint8Array, done: (delivered: boolean) => void): void {
    this.sent.push(payload);
    this.pending.push({ payload, done });
  }

  /** Answers the oldest send; returns its payload. */
  deliver(delivered: boolean): Uint8Array {
    const next = this.pending.shift();
    if (next === undefined) throw new Error('nothing is being sent');
    next.done(delivered);
    return next.payload;
  }

  /** Answers everything in flight, including what the answers trigger. */
  deliverAll(delivered = true): void {
    while (this.pending.length > 0) this.deliver(delivered);
  }
}
