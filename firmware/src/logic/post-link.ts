// The post's end of the serial link: protocol's createLink (sequence numbers, link acks,
// retransmission) under the outbox's one-frame-at-a-time FrameLink. Downlink payloads
// (acks from dispatch) are link-acked at once and handed to the controller to verify.
import { createLink } from '@urgence/protocol';
import type { PostHal } from '../hal';
import type { FrameLink } from './post-outbox';

export interface PostLinkTimings {
  linkAckTimeoutMs: number;
  linkRetries: number;
}

export interface PostLink extends FrameLink {
  badFrames(): number;
}

export function createPostLink(
  hal: PostHal,
  t: PostLinkTimings,
  onDownlink: (payload: Uint8Array) => void,
): PostLink {
  let finish: ((delivered: boolean) => void) | undefined = undefined;
  const settle = (delivered: boolean): void => {
    const done = finish;
    finish = undefined;
    if (done !== undefined) done(delivered);
  };
  const link = createLink({
    write: (bytes) => hal.linkWrite(bytes),
    // A forged ack costs a link ack and is then refused by the controller's tag check.
    onMessage: (payload, accept) => {
      accept();
      onDownlink(payload);
    },
    timer: {
      setTimeout: (run, ms) => hal.after(ms, run),
      clearTimeout: (handle) => hal.cancel(handle),
    },
    retransmitMs: t.linkAckTimeoutMs,
    // The outbox retries with its own backoff and shows "unreachable" meanwhile.
    maxAttempts: t.linkRetries,
    maxQueue: 1,
    onDelivered: () => settle(true),
    onGaveUp: () => settle(false),
  });
  hal.onLinkData((bytes) => link.receive(bytes));

  return {
    send: (payload, done) => {
      finish = done;
      const queued = link.send(payload);
      if (queued.ok === false) settle(false);
    },
    badFrames: () => link.stats.badFrames,
  };
}
