import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encode } from 'cbor-x';
import { MessageType, decodeMessage, mac0Decode, sealMessage } from '@urgence/protocol';
import type { RunningGateway } from './gateway';
import type { AedesHarness } from './testing/aedes-harness';
import { eventually } from './testing/eventually';
import type { FakeNobleBindings, RecordingAckAdvertiser } from './testing/fake-ble';
import { startGatewayRig, stopGatewayRig } from './testing/gateway-rig';
import { SimulatedPost } from './testing/sim-post';
import type { PtyPair } from './testing/socat';
import { sha256, wearableAdvert } from './testing/wearable';

const postKey = new Uint8Array(32).fill(1);
const wearableKey = new Uint8Array(32).fill(2);

let harness: AedesHarness;
let pty: PtyPair;
let post: SimulatedPost;
let radio: FakeNobleBindings;
let advertiser: RecordingAckAdvertiser;
let gateway: RunningGateway;
let dir: string;

test.before.each(async () => {
  ({ harness, pty, dir, radio, advertiser, gateway, post } = await startGatewayRig({
    gatewayId: 'gw-007',
    post: { id: '0000002a', key: postKey },
    ingestDelayMs: 5,
  }));
});

test.after.each(() => stopGatewayRig({ post, gateway, pty, harness, dir }));

function counterOf(frame: Uint8Array): number {
  const mac0 = mac0Decode(new Uint8Array(frame));
  if (!mac0.ok) throw new Error(mac0.error.message);
  const message = decodeMessage(mac0.value.payload);
  if (!message.ok || message.value.type === MessageType.Ack)
    throw new Error('not uplink');
  return message.value.counter;
}

const serialUplinks = () => harness.uplinks.filter((u) => u.link === 'serial');

test("a post's alarm reaches the broker with its sealed frame and port", async () => {
  const sealed = post.send({ type: 1, counter: 100 });
  await harness.waitFor(() => serialUplinks().length === 1);
  const [uplink] = serialUplinks();
  assert.equal(new Uint8Array(uplink.frame), sealed);
  assert.is(uplink.port, pty.gatewayEnd);
  await post.until(() => post.delivered.length === 1);
});

test('an ack from the broker goes down to the post that sent the alarm', async () => {
  post.send({ type: 1, counter: 101 });
  await harness.waitFor(() => serialUplinks().length === 1);
  const ack = sealMessage(sha256, '0000002a', postKey, { type: 6, ref: 101, stage: 1 });
  const envelope = encode({ v: 1, link: 'serial', device: '0000002a', frame: ack });
  await harness.waitFor(() => harness.subscribed.has('urgence/v1/gw/gw-007/down'));
  await harness.publish('urgence/v1/gw/gw-007/down', envelope);
  await post.until(() => post.downlinks.length === 1);
  assert.equal(post.downlinks[0], ack);
});

test('acks sent while the post reboots reach it in order, never a stage backwards', async () => {
  post.send({ type: 1, counter: 104 });
  await post.until(() => post.delivered.length === 1);
  await harness.waitFor(() => harness.subscribed.has('urgence/v1/gw/gw-007/down'));
  await post.close(); // the post is off the line: nothing link-acks what goes down
  const stage = (s: 1 | 2 | 3) =>
    sealMessage(sha256, '0000002a', postKey, { type: 6, ref: 104, stage: s });
  for (const s of [1, 3, 2] as const) {
    await harness.publish(
      'urgence/v1/gw/gw-007/down',
      encode({ v: 1, link: 'serial', device: '0000002a', frame: stage(s) }),
    );
  }
  await eventually(() => gateway.counters.dropped['stale-ack'] === 1, 'stale ack seen');

  post = await SimulatedPost.open(pty.postEnd, '0000002a', postKey);
  await post.until(() => post.downlinks.length === 2);
  assert.equal(post.downlinks, [stage(1), stage(3)]);
});

test('repeated adverts of one wearable alarm produce one uplink message', async () => {
  await eventually(() => radio.scanning, 'ble scanning');
  const advert = wearableAdvert(wearableKey, { type: 1, counter: 5 });
  for (let i = 0; i < 30; i++)
    radio.advertise('d0:00:00:00:00:01', advert, -70 - (i % 5));
  await harness.waitFor(() => harness.uplinks.some((u) => u.link === 'ble'));
  for (let i = 0; i < 30; i++) radio.advertise('d0:00:00:00:00:01', advert, -60);
  post.send({ type: 1, counter: 102 }); // a later uplink, to know the repeats had their chance
  await harness.waitFor(() => serialUplinks().length === 1);
  const ble = harness.uplinks.filter((u) => u.link === 'ble');
  assert.is(ble.length, 1);
  assert.is(ble[0].copies, 30);
  assert.is(ble[0].rssi, -70);
});

test('a wearable ack from the broker is advertised with the company id', async () => {
  const frame = new Uint8Array(24).fill(0x22);
  await harness.waitFor(() => harness.subscribed.has('urgence/v1/gw/gw-007/down'));
  await harness.publish(
    'urgence/v1/gw/gw-007/down',
    encode({ v: 1, link: 'ble', rotatingId: frame.subarray(1, 9), frame }),
  );
  await eventually(() => advertiser.adverts.length === 1, 'ack advertised');
  assert.is(
    advertiser.adverts[0].manufacturerData.toString('hex'),
    'ffff' + '22'.repeat(24),
  );
});

test('a post silent past its heartbeat deadline becomes a gateway fault record', async () => {
  post.send({ type: 3, counter: 1 });
  await post.until(() => post.delivered.length === 1);
  await harness.waitFor(() => harness.uplinks.some((u) => u.link === 'gateway'));
  const fault = harness.uplinks.find((u) => u.link === 'gateway');
  assert.is(fault?.device, '0000002a');
  assert.is(fault?.event, 'post-silent');
  assert.is(fault?.port, pty.gatewayEnd);
});

test('alarms a post sends while the broker is down are delivered after it returns, in order', async () => {
  await harness.waitFor(() => harness.subscribed.has('urgence/v1/gw/gw-007/down'));
  await harness.stop();
  for (let counter = 200; counter < 220; counter++) {
    await post.until(() => post.pending < 8);
    post.send({ type: 1, counter });
  }
  await post.until(() => post.delivered.length === 20); // stored: the post may forget them
  assert.is(serialUplinks().length, 0);
  await harness.start();
  await harness.waitFor(() => serialUplinks().length === 20);
  const counters = serialUplinks().map((u) => counterOf(u.frame));
  assert.equal(
    counters,
    Array.from({ length: 20 }, (_, i) => 200 + i),
  );
});

test('telemetry reports the outbox, the links and the drops', async () => {
  post.send({ type: 1, counter: 103 });
  await harness.waitFor(() => serialUplinks().length === 1);
  const report = gateway.report() as {
    outbox: { depth: number };
    frames: { in: { serial: number } };
    links: { port: string; state: string }[];
  };
  assert.is(report.frames.in.serial, 1);
  assert.equal(report.links[0], {
    ...report.links[0],
    port: pty.gatewayEnd,
    state: 'open',
  });
});

test('telemetry says whether the broker is connected and how old the backlog is', async () => {
  type Report = {
    outbox: { depth: number; oldestAgeS: number | null };
    broker: { connected: boolean; connectedAt: string | null };
    links: { downlinksPending: number }[];
  };
  await harness.waitFor(() => harness.subscribed.has('urgence/v1/gw/gw-007/down'));
  assert.is((gateway.report() as Report).outbox.oldestAgeS, null);
  await harness.stop();
  post.send({ type: 1, counter: 105 });
  await post.until(() => post.delivered.length === 1);

  const cutOff = gateway.report() as Report;
  assert.is(cutOff.broker.connected, false);
  assert.is(cutOff.outbox.depth, 1);
  assert.type(cutOff.outbox.oldestAgeS, 'number');
  assert.is(cutOff.links[0].downlinksPending, 0);

  await harness.start();
  await harness.waitFor(() => serialUplinks().length === 1);
  await eventually(() => (gateway.report() as Report).outbox.depth === 0, 'receipted');
  const back = gateway.report() as Report;
  assert.is(back.broker.connected, true);
  assert.type(back.broker.connectedAt, 'string');
  assert.is(back.outbox.oldestAgeS, null);
});

test.run();
