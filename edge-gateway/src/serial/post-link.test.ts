import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pino } from 'pino';
import { systemClock } from '../clock';
import { GatewayCounters } from '../telemetry';
import { ptyPair } from '../testing/socat';
import type { PtyPair } from '../testing/socat';
import { SimulatedPost } from '../testing/sim-post';
import { eventually } from '../testing/eventually';
import { PostLink } from './post-link';

const key = new Uint8Array(32).fill(3);
let pty: PtyPair;
let post: SimulatedPost;
let link: PostLink;
let counters: GatewayCounters;
let stored: Uint8Array[];
let holdStore: Promise<void>;

test.before.each(async () => {
  pty = await ptyPair();
  counters = new GatewayCounters();
  stored = [];
  holdStore = Promise.resolve();
  link = new PostLink({
    path: pty.gatewayEnd,
    baudRate: 115200,
    log: pino({ level: 'silent' }),
    clock: systemClock,
    counters,
    retransmitMs: 300,
    store: async (payload) => {
      await holdStore;
      stored.push(payload);
    },
  });
  link.start();
  post = await SimulatedPost.open(pty.postEnd, '0000002a', key);
});

test.after.each(async () => {
  await post.close();
  await link.stop();
  await pty.close();
});

test('an alarm is link-acked only once it is stored', async () => {
  let release = () => {};
  holdStore = new Promise((resolve) => (release = resolve));
  const sealed = post.send({ type: 1, counter: 7 });
  await eventually(() => link.stats.duplicates >= 1, 'the post retransmits, unacked');
  assert.equal(post.delivered, [], 'no ack while the store is pending');
  release();
  await post.until(() => post.delivered.length === 1);
  assert.equal(stored, [sealed], 'stored once despite retransmissions');
});

test('garbage, truncated and oversized frames are counted and the link recovers', async () => {
  await post.writeRaw(new Uint8Array([0x00, 0x13, 0x37, 0x42, 0x99, 0x00])); // bad CRC
  await post.writeRaw(new Uint8Array([0x00, 0x02, 0x11, 0x00])); // truncated
  await post.writeRaw(new Uint8Array([0x00, ...new Uint8Array(600).fill(0x55), 0x00]));
  const sealed = post.send({ type: 1, counter: 8 });
  await post.until(() => post.delivered.length === 1);
  assert.equal(stored, [sealed]);
  const dropped = Object.values(counters.dropped).reduce((a, b) => a + b, 0);
  assert.is(dropped, 3, JSON.stringify(counters.dropped));
  assert.is(counters.dropped['too-large'], 1);
});

test('a downlink frame reaches the post over the link', async () => {
  post.send({ type: 1, counter: 9 });
  await post.until(() => post.delivered.length === 1);
  assert.ok(link.send(new Uint8Array([0xd1, 0x84, 1, 2, 3])));
  await post.until(() => post.downlinks.length === 1);
  assert.equal([...post.downlinks[0]], [0xd1, 0x84, 1, 2, 3]);
});

test('a port that vanishes (adapter unplugged) is reported failed, not a crash', async () => {
  post.send({ type: 1, counter: 10 });
  await post.until(() => post.delivered.length === 1);
  await pty.close();
  await eventually(() => link.state === 'failed', 'the link notices the lost port');
});

test.run();
