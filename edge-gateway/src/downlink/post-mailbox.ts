// Acks on their way down to posts, held by the gateway until the post can take them: its
// port unknown (not heard since this gateway started and no saved route), its port closed
// (cable cut, USB adapter gone), or its link still busy with the previous ack (post
// rebooting). Delivered in order, newest stage per alarm wins, bounded in count and time.
import { MessageType, decodeMessage, mac0Decode } from '@urgence/protocol';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../clock';
import type { GatewayCounters } from '../telemetry';

/** The part of a serial link the mailbox needs (PostLink in the gateway). */
export type AckPort = {
  /** Open, and nothing of ours waiting for a link ack: the next ack may go. */
  readonly idle: boolean;
  /** Hands the frame to the link, which retransmits it until the post link-acks it. */
  send(frame: Uint8Array): boolean;
};

export type MailboxOptions = {
  portOf: (device: string) => string | undefined;
  ackPort: (port: string) => AckPort | undefined;
  clock: Clock;
  counters: GatewayCounters;
  log: Logger;
  /** How long an ack waits for its post before it is dropped (default 10 min). */
  holdMs?: number;
  /** Acks waiting per post (default 16, protocol/'s Link queue: the same burst fits). */
  maxPerPost?: number;
};

type WaitingAck = { ref: number; stage: number; frame: Uint8Array; since: number };

// An alarm's stages run Received → HelpComing → Closed within minutes; an hour of memory
// is enough to refuse a late older stage, and it is swept so it cannot grow for ever.
const STAGE_MEMORY_MS = 60 * 60 * 1000;
const SWEEP_MS = 10 * 1000;

export class PostMailbox {
  private readonly waiting = new Map<string, WaitingAck[]>();
  /** Highest stage accepted per `device:ref`, with when it was accepted. */
  private readonly stages = new Map<string, { stage: number; at: number }>();
  private readonly sweeper: TimerHandle;
  private readonly holdMs: number;
  private readonly maxPerPost: number;

  constructor(private readonly options: MailboxOptions) {
    this.holdMs = options.holdMs ?? 10 * 60 * 1000;
    this.maxPerPost = options.maxPerPost ?? 16;
    this.sweeper = options.clock.setInterval(() => this.sweep(), SWEEP_MS);
  }

  /** Acks waiting for their post, all posts together (telemetry). */
  get size(): number {
    let size = 0;
    for (const queue of this.waiting.values()) size += queue.length;
    return size;
  }

  /** Takes an ack for `device` (a COSE_Mac0 of an Ack message); false if refused. */
  offer(device: string, frame: Uint8Array): boolean {
    const { counters, log, clock } = this.options;
    const ack = readAck(frame);
    if (ack === undefined) {
      counters.drop('bad-downlink');
      log.warn({ device, bytes: frame.length }, 'downlink for a post is not an ack');
      return false;
    }
    const key = `${device}:${ack.ref}`;
    const known = this.stages.get(key);
    if (known !== undefined && ack.stage < known.stage) {
      // A late copy (broker redelivery, resend on reconnect): the post must not step back.
      counters.drop('stale-ack');
      log.info({ device, counter: ack.ref, stage: ack.stage }, 'older ack stage dropped');
      return false;
    }
    this.stages.set(key, { stage: ack.stage, at: clock.now() });
    const queue = (this.waiting.get(device) ?? []).filter((w) => w.ref !== ack.ref);
    queue.push({ ...ack, frame, since: clock.now() });
    if (queue.length > this.maxPerPost) this.expire(device, queue.shift(), 'overflow');
    this.waiting.set(device, queue);
    this.pump();
    return true;
  }

  /** Sends what can go now; called on every event that may have made a post reachable. */
  pump(): void {
    for (const [device, queue] of this.waiting) {
      const port = this.options.portOf(device);
      const link = port === undefined ? undefined : this.options.ackPort(port);
      while (queue.length > 0 && link?.idle === true) {
        const ack = queue[0];
        if (!link.send(ack.frame)) break;
        queue.shift();
        this.options.log.info(
          { device, port, counter: ack.ref, stage: ack.stage },
          'ack sent to post',
        );
      }
      if (queue.length === 0) this.waiting.delete(device);
    }
  }

  stop(): void {
    this.options.clock.clearInterval(this.sweeper);
  }

  private sweep(): void {
    const now = this.options.clock.now();
    for (const [device, queue] of this.waiting) {
      while (queue.length > 0 && now - queue[0].since >= this.holdMs) {
        this.expire(device, queue.shift(), 'expired');
      }
      if (queue.length === 0) this.waiting.delete(device);
    }
    for (const [key, known] of this.stages) {
      if (now - known.at >= STAGE_MEMORY_MS) this.stages.delete(key);
    }
  }

  private expire(device: string, ack: WaitingAck | undefined, why: string): void {
    if (ack === undefined) return;
    this.options.counters.drop(`ack-${why}`);
    this.options.log.error(
      {
        device,
        counter: ack.ref,
        stage: ack.stage,
        port: this.options.portOf(device),
        waitedMs: this.options.clock.now() - ack.since,
      },
      `ack for a post never delivered: dropped (${why})`,
    );
  }
}

/** Ref (alarm counter) and stage of an ack, read without the key (the post checks it). */
function readAck(frame: Uint8Array): { ref: number; stage: number } | undefined {
  const mac0 = mac0Decode(frame);
  if (!mac0.ok) return undefined;
  const message = decodeMessage(mac0.value.payload);
  if (!message.ok || message.value.type !== MessageType.Ack) return undefined;
  return { ref: message.value.ref, stage: message.value.stage };
}
