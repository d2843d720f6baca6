// Lightweight stand-ins for devices in the fleet benchmark: they speak the real protocol
// (COSE_Mac0 messages sealed with each device's own key, the serial link's framing and
// acks, the 24-byte wearable frame under its rotating id) but run no firmware, so one
// process can hold 200 posts and 1,000 wearables. Posts share multi-drop buses (RS-485).

import { createHash, randomBytes } from 'node:crypto';
import {
  Link,
  MessageType,
  encodeWearableFrame,
  manufacturerData,
  openMessage,
  rotatingAddress,
  sealMessage,
  windowOf,
  type UplinkMessage,
} from '@urgence/protocol';
import { SerialLine } from '../src/serial/serialLine';

export const sha256 = (message: Uint8Array): Uint8Array =>
  new Uint8Array(createHash('sha256').update(message).digest());

export interface Identity {
  id: string;
  key: Uint8Array;
  counter: number;
}

export function identities(prefix: string, count: number): Identity[] {
  return Array.from({ length: count }, (_, index) => ({
    id: prefix + index.toString(16).padStart(8 - prefix.length, '0'),
    key: new Uint8Array(randomBytes(32)),
    counter: 1,
  }));
}

export interface Downlink {
  device: string;
  ref: number;
  stage: number;
  at: number;
}

/** One serial bus of posts, as a concentrator would drive it: one link endpoint. */
export class PostBus {
  private readonly link: Link;
  private readonly keys: Map<string, Uint8Array>;
  /** Messages sent, and those the gateway link-acked (it acks after its outbox fsync). */
  sent = 0;
  delivered = 0;

  private constructor(
    private readonly line: SerialLine,
    readonly posts: Identity[],
    onDownlink: (downlink: Downlink) => void,
  ) {
    this.keys = new Map(posts.map((post) => [post.id, post.key]));
    this.link = new Link({
      write: (bytes) => void line.write(bytes).catch(() => undefined),
      onMessage: (payload, accept) => {
        accept();
        const opened = openMessage(sha256, payload, (id) => this.keys.get(id));
        if (!opened.ok || opened.value.message.type !== MessageType.Ack) return;
        const ack = opened.value.message;
        onDownlink({
          device: opened.value.deviceId,
          ref: ack.ref,
          stage: ack.stage,
          at: Date.now(),
        });
      },
      timer: {
        setTimeout: (run, ms) => setTimeout(run, ms),
        clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
      },
      maxQueue: 10_000,
      onDelivered: () => {
        this.delivered++;
      },
    });
    line.onData((bytes) => this.link.receive(new Uint8Array(bytes)));
  }

  static async open(path: string, posts: Identity[], onDownlink: (d: Downlink) => void) {
    return new PostBus(await SerialLine.open(path, 115200), posts, onDownlink);
  }

  /** Seals and sends one message; returns its counter. */
  send(post: Identity, type: 'heartbeat' | 'alarm'): number {
    const counter = post.counter++;
    const message: UplinkMessage =
      type === 'alarm'
        ? { type: MessageType.Alarm, counter, battery: 95 }
        : { type: MessageType.Heartbeat, counter, battery: 95, mains: true };
    this.link.send(sealMessage(sha256, post.id, post.key, message));
    this.sent++;
    return counter;
  }

  close(): Promise<void> {
    return this.line.close();
  }
}

/** A wearable advert as the gateway's radio hears it. */
export function wearableAdvert(
  wearable: Identity,
  type: 'heartbeat' | 'alarm',
  counter: number,
) {
  const window = windowOf(Date.now() / 1000);
  const message: UplinkMessage =
    type === 'alarm'
      ? { type: MessageType.Alarm, counter, battery: 90 }
      : { type: MessageType.Heartbeat, counter, battery: 90 };
  const frame = encodeWearableFrame(sha256, wearable.key, { window, message });
  const address = Buffer.from(rotatingAddress(sha256, wearable.key, window))
    .toString('hex')
    .replace(/(..)(?!$)/g, '$1:');
  return { address, data: Buffer.from(manufacturerData(frame)) };
}
