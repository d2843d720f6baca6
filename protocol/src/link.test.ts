import { test } from 'uvu';
import * as assert from 'uvu/assert';
import sinon from 'sinon';
import { Link } from './link';
import type { LinkOptions } from './link';
import { encodeLinkFrame, LinkKind } from './serial-framing';
import { hex, toHex } from './test/node-crypto';

type Wire = {
  clock: sinon.SinonFakeTimers;
  post: Link;
  gateway: Link;
  received: string[];
  delivered: string[];
  gaveUp: string[];
  /** Return null to lose the bytes, or altered bytes to corrupt them. */
  postToGateway: (bytes: Uint8Array, index: number) => Uint8Array | null;
  gatewayToPost: (bytes: Uint8Array, index: number) => Uint8Array | null;
  holdAcks: (() => void)[];
  holdAcceptance: boolean;
};

const LATENCY_MS = 5;

// Only setTimeout/clearTimeout are faked, and only between before.each and after.each.
let fakeClock: sinon.SinonFakeTimers;

test.before.each(() => {
  fakeClock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});

test.after.each(() => {
  fakeClock.restore();
});

function connect(options?: Partial<LinkOptions>): Wire {
  const clock = fakeClock;
  const timer = {
    setTimeout: (callback: () => void, ms: number) => clock.setTimeout(callback, ms),
    clearTimeout: (handle: unknown) =>
      clock.clearTimeout(handle as Parameters<typeof clock.clearTimeout>[0]),
  };
  let upCount = 0;
  let downCount = 0;
  const wire = {
    clock,
    received: [],
    delivered: [],
    gaveUp: [],
    postToGateway: (bytes: Uint8Array) => bytes,
    gatewayToPost: (bytes: Uint8Array) => bytes,
    holdAcks: [],
    holdAcceptance: false,
  } as unknown as Wire;
  wire.post = new Link({
    timer,
    write: (bytes) => {
      const carried = wire.postToGateway(bytes.slice(), upCount++);
      if (carried !== null)
        clock.setTimeout(() => wire.gateway.receive(carried), LATENCY_MS);
    },
    onMessage: () => assert.unreachable('the post receives no data in these tests'),
    onDelivered: (payload) => wire.delivered.push(toHex(payload)),
    onGaveUp: (payload) => wire.gaveUp.push(toHex(payload)),
    ...options,
  });
  wire.gateway = new Link({
    timer,
    write: (bytes) => {
      const carried = wire.gatewayToPost(bytes.slice(), downCount++);
      if (carried !== null)
        clock.setTimeout(() => wire.post.receive(carried), LATENCY_MS);
    },
    onMessage: (payload, accept) => {
      wire.received.push(toHex(payload));
      if (wire.holdAcceptance) wire.holdAcks.push(accept);
      else accept();
    },
  });
  return wire;
}

const alarm = hex('d18443a10104a10444000000012a');
const heartbeat = hex('d18443a10104a10444000000012b');

test('a payload is delivered once and the sender hears the link ack', () => {
  const wire = connect();
  wire.post.send(alarm);
  wire.clock.tick(100);
  assert.equal(wire.received, [toHex(alarm)]);
  assert.equal(wire.delivered, [toHex(alarm)]);
  assert.is(wire.post.pending, 0);
  assert.is(wire.post.stats.retransmissions, 0);
});

test('a lost frame is retransmitted after the timeout and then delivered', () => {
  const wire = connect();
  wire.postToGateway = (bytes, index) => (index === 0 ? null : bytes);
  wire.post.send(alarm);
  wire.clock.tick(499);
  assert.equal(wire.received, []);
  wire.clock.tick(100);
  assert.equal(wire.received, [toHex(alarm)]);
  assert.equal(wire.delivered, [toHex(alarm)]);
  assert.is(wire.post.stats.retransmissions, 1);
});

test('a corrupted frame is dropped by the receiver and retransmitted', () => {
  const wire = connect();
  wire.postToGateway = (bytes, index) => {
    if (index === 0) bytes[5] ^= 0x01;
    return bytes;
  };
  wire.post.send(alarm);
  wire.clock.tick(1000);
  assert.is(wire.gateway.stats.badFrames, 1);
  assert.equal(wire.received, [toHex(alarm)]);
  assert.equal(wire.delivered, [toHex(alarm)]);
});

test('a lost link ack makes the sender retransmit; the receiver re-acks without redelivering', () => {
  const wire = connect();
  wire.gatewayToPost = (bytes, index) => (index === 0 ? null : bytes);
  wire.post.send(alarm);
  wire.clock.tick(1000);
  assert.equal(wire.received, [toHex(alarm)]);
  assert.is(wire.gateway.stats.duplicates, 1);
  assert.equal(wire.delivered, [toHex(alarm)]);
});

test('the receiver acks only when it accepts (after its fsync), not on arrival', () => {
  const wire = connect();
  wire.holdAcceptance = true;
  wire.post.send(alarm);
  wire.clock.tick(1600);
  assert.equal(wire.received, [toHex(alarm)]);
  assert.equal(wire.delivered, []);
  assert.ok(wire.post.stats.retransmissions >= 3);
  wire.holdAcks[0]();
  wire.clock.tick(LATENCY_MS + 1);
  assert.equal(wire.delivered, [toHex(alarm)]);
  assert.equal(wire.received, [toHex(alarm)]);
});

test('queued payloads go out in order, one at a time, through losses', () => {
  const wire = connect();
  wire.postToGateway = (bytes, index) => (index % 2 === 0 ? null : bytes);
  wire.post.send(alarm);
  wire.post.send(heartbeat);
  wire.clock.tick(5000);
  assert.equal(wire.received, [toHex(alarm), toHex(heartbeat)]);
  assert.equal(wire.delivered, [toHex(alarm), toHex(heartbeat)]);
});

test('with maxAttempts set, a payload is given up after that many sends and the next goes', () => {
  const wire = connect({ maxAttempts: 3 });
  wire.postToGateway = (bytes, index) => (index < 3 ? null : bytes);
  wire.post.send(alarm);
  wire.post.send(heartbeat);
  wire.clock.tick(5000);
  assert.equal(wire.gaveUp, [toHex(alarm)]);
  assert.equal(wire.delivered, [toHex(heartbeat)]);
});

test('by default the link never gives up on a payload', () => {
  const wire = connect();
  wire.postToGateway = () => null;
  wire.post.send(alarm);
  wire.clock.tick(60000);
  assert.equal(wire.gaveUp, []);
  // Sent at 0, 500, ..., 60,000 ms.
  assert.is(wire.post.stats.framesSent, 121);
  wire.postToGateway = (bytes) => bytes;
  wire.clock.tick(1000);
  assert.equal(wire.delivered, [toHex(alarm)]);
});

test('a rebooted post restarting at seq 0 still gets its new payload delivered', () => {
  const wire = connect();
  wire.post.send(alarm);
  wire.clock.tick(100);
  const rebooted = connect();
  rebooted.gateway = wire.gateway;
  wire.post = rebooted.post;
  rebooted.post.send(heartbeat);
  wire.clock.tick(100);
  assert.equal(wire.received, [toHex(alarm), toHex(heartbeat)]);
});

test('garbage and an oversized burst on the line are counted and do not stop delivery', () => {
  const wire = connect();
  wire.gateway.receive(hex('deadbeef00'));
  wire.gateway.receive(new Uint8Array(2000).fill(0x41));
  wire.post.send(alarm);
  wire.clock.tick(100);
  assert.is(wire.gateway.stats.badFrames, 2);
  assert.equal(wire.received, [toHex(alarm)]);
});

test('a stale ack for another seq does not release the payload in flight', () => {
  const wire = connect();
  wire.postToGateway = () => null;
  wire.post.send(alarm);
  wire.post.receive(encodeLinkFrame(LinkKind.Ack, 99, new Uint8Array(0)));
  assert.is(wire.post.pending, 1);
  assert.equal(wire.delivered, []);
});

test('send refuses a payload when the queue is full', () => {
  const wire = connect({ maxQueue: 1 });
  wire.postToGateway = () => null;
  assert.ok(wire.post.send(alarm).ok);
  assert.ok(wire.post.send(alarm).ok);
  const refused = wire.post.send(alarm);
  assert.is(refused.ok ? 'ok' : refused.error.code, 'queue-full');
});

test('close() leaves no timer running', () => {
  const wire = connect();
  wire.postToGateway = () => null;
  wire.post.send(alarm);
  wire.post.close();
  assert.is(wire.clock.countTimers(), 0);
});

test.run();
