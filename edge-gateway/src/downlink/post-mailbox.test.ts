import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sealMessage } from '@urgence/protocol';
import type { AckStage } from '@urgence/protocol';
import { pino } from 'pino';
import { GatewayCounters } from '../telemetry';
import { fakeClock } from '../testing/fake-clock';
import type { FakeClock } from '../testing/fake-clock';
import { sha256 } from '../testing/wearable';
import { PostMailbox } from './post-mailbox';
import type { AckPort } from './post-mailbox';

const key = new Uint8Array(32).fill(7);
const DEVICE = '0000002a';

/** A serial link as the mailbox sees it: open or not, busy until the post link-acks. */
class FakeAckPort implements AckPort {
  open = true;
  inFlight: Uint8Array | undefined;
  readonly sent: Uint8Array[] = [];
  get idle(): boolean {
    return this.open && this.inFlight === undefined;
  }
  send(frame: Uint8Array): boolean {
    this.inFlight = frame;
    this.sent.push(frame);
    return true;
  }
  /** The post link-acked the frame in flight. */
  linkAck(): void {
    this.inFlight = undefined;
  }
}

const ack = (ref: number, stage: AckStage) =>
  sealMessage(sha256, DEVICE, key, { type: 6, ref, stage });

let clock: FakeClock;
let port: FakeAckPort;
let routes: Map<string, string>;
let counters: GatewayCounters;
let mailbox: PostMailbox;

test.before.each(() => {
  clock = fakeClock();
  port = new FakeAckPort();
  routes = new Map([[DEVICE, '/dev/a']]);
  counters = new GatewayCounters();
  mailbox = new PostMailbox({
    portOf: (device) => routes.get(device),
    ackPort: (path) => (path === '/dev/a' ? port : undefined),
    clock,
    counters,
    log: pino({ level: 'silent' }),
  });
});

test.after.each(() => {
  mailbox.stop();
  clock.restore();
});

/** Lets the fake post take everything, as a live link would. */
function drain(): void {
  while (port.inFlight !== undefined) {
    port.linkAck();
    mailbox.pump();
  }
}

test('an ack for a post no link has heard waits and goes out once the post is heard', () => {
  routes.clear();
  mailbox.offer(DEVICE, ack(9, 1));
  assert.is(port.sent.length, 0);
  clock.tick(5 * 60 * 1000);

  routes.set(DEVICE, '/dev/a');
  mailbox.pump();
  assert.equal(port.sent, [ack(9, 1)]);
  assert.is(counters.dropped['ack-expired'], undefined);
});

test('an ack whose post stays unheard for 10 minutes is dropped and counted', () => {
  routes.clear();
  mailbox.offer(DEVICE, ack(9, 1));
  clock.tick(10 * 60 * 1000 + 10_000);
  routes.set(DEVICE, '/dev/a');
  mailbox.pump();
  assert.is(port.sent.length, 0);
  assert.is(counters.dropped['ack-expired'], 1);
  assert.is(mailbox.size, 0);
});

test('acks arriving while the link is down go out in order when it comes back', () => {
  port.open = false;
  mailbox.offer(DEVICE, ack(1, 1));
  mailbox.offer(DEVICE, ack(2, 1));
  mailbox.offer(DEVICE, ack(3, 1));
  assert.is(port.sent.length, 0);

  port.open = true;
  mailbox.pump();
  drain();
  assert.equal(port.sent, [ack(1, 1), ack(2, 1), ack(3, 1)]);
});

test('an older stage arriving after a newer one is never delivered', () => {
  mailbox.offer(DEVICE, ack(4, 3));
  drain();
  assert.not.ok(mailbox.offer(DEVICE, ack(4, 2)));
  drain();
  assert.equal(port.sent, [ack(4, 3)]);
  assert.is(counters.dropped['stale-ack'], 1);
});

test('a newer stage replaces the older one still waiting for the link', () => {
  port.open = false;
  mailbox.offer(DEVICE, ack(5, 1));
  mailbox.offer(DEVICE, ack(5, 3));
  port.open = true;
  mailbox.pump();
  drain();
  assert.equal(port.sent, [ack(5, 3)]);
});

test('acks go down one at a time: the next waits for the link ack of the previous', () => {
  mailbox.offer(DEVICE, ack(6, 1));
  mailbox.offer(DEVICE, ack(6, 2));
  assert.equal(port.sent, [ack(6, 1)]);
  port.linkAck();
  mailbox.pump();
  assert.equal(port.sent, [ack(6, 1), ack(6, 2)]);
});

test('at most 16 acks wait per post (the Link queue); the oldest is dropped and counted', () => {
  port.open = false;
  for (let ref = 1; ref <= 18; ref++) mailbox.offer(DEVICE, ack(ref, 1));
  assert.is(mailbox.size, 16);
  assert.is(counters.dropped['ack-overflow'], 2);
  port.open = true;
  mailbox.pump();
  drain();
  assert.equal(port.sent[0], ack(3, 1));
});

test('a downlink for a post that is not an ack message is counted and dropped', () => {
  assert.not.ok(mailbox.offer(DEVICE, new Uint8Array([0xd1, 0x84, 0x40])));
  assert.is(counters.dropped['bad-downlink'], 1);
  assert.is(port.sent.length, 0);
});

test.run();
