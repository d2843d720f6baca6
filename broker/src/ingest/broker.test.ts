// The ingest on a real Aedes over TCP with real mqtt.js gateways and a dispatch desk: the
// alarm path end to end, from a gateway's QoS 2 uplink to the feed, and back down as acks.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { decode } from 'cbor-x';
import {
  AckStage,
  MessageType,
  decodeWearableAck,
  openMessage,
  verifyWearableAck,
  windowOf,
} from '@urgence/protocol';
import type { IncidentFeedJson } from '../feed/incident-json';
import type { DownlinkEnvelope } from './envelope';
import { sha256 } from './crypto';
import { BrokerWorld } from './test/broker-world';
import type { Listener, Received } from './test/broker-world';
import {
  WEARABLE,
  alarm,
  postFrame,
  postKey,
  uplink,
  wearableFrame,
  wearableKey,
} from './test/world';

let world: BrokerWorld;

test.before.each(async () => {
  world = new BrokerWorld();
  await world.start();
});

test.after.each(async () => {
  await world.close();
});

const UP = (gateway: string) => `urgence/v1/gw/${gateway}/up`;

function json<T>(message: Received): T {
  return JSON.parse(message.payload.toString()) as T;
}

function isIncident(message: Received): boolean {
  return message.topic.startsWith('urgence/v1/feed/incidents/');
}

async function send(gateway: Listener, id: string, payload: Buffer): Promise<void> {
  // Resolves on PUBCOMP: the ingest has recorded (or counted) the message.
  await gateway.client.publishAsync(UP(id), payload, { qos: 2 });
}

/** xmllint against the CAP 1.2 schema in fixtures (see README, "CAP 1.2"). */
function validateCap(document: Buffer) {
  const schema = fileURLToPath(
    new URL('../feed/fixtures/CAP-v1.2-from-spec.xsd', import.meta.url),
  );
  return spawnSync('xmllint', ['--noout', '--schema', schema, '-'], {
    input: document,
    encoding: 'utf8',
  });
}

function postAck(message: Received) {
  const envelope = decode(message.payload) as DownlinkEnvelope;
  const opened = openMessage(sha256, envelope.frame, () => postKey);
  if (!opened.ok || opened.value.message.type !== MessageType.Ack) {
    throw new Error('downlink is not an ack signed with the post key');
  }
  return opened.value.message;
}

test('a valid alarm becomes one incident on the feed and is acked as received', async () => {
  const desk = await world.dispatch();
  const gateway = await world.gateway('gw-a');
  await send(gateway, 'gw-a', uplink(postFrame(alarm(1))));
  const feed = json<IncidentFeedJson>(await desk.waitFor(isIncident));
  assert.is(feed.state, 'new');
  assert.is(feed.device, '0000002a');
  assert.is(feed.location?.label, 'Hôtel de Ville');
  const ack = postAck(await gateway.waitFor(() => true));
  assert.equal([ack.ref, ack.stage], [1, AckStage.Received]);
  assert.is(world.ingest.counters().accepted, 1);
});

test('the same alarm through three gateways is still one incident', async () => {
  const desk = await world.dispatch();
  const frame = postFrame(alarm(1));
  for (const [id, rssi] of [
    ['gw-a', -70],
    ['gw-b', -60],
    ['gw-c', -75],
  ] as const) {
    const gateway = await world.gateway(id);
    await send(gateway, id, uplink(frame, { rssi }));
  }
  const heard = await desk.waitFor(
    (message) =>
      isIncident(message) && json<IncidentFeedJson>(message).heardBy.length === 3,
  );
  assert.is(json<IncidentFeedJson>(heard).id, 'inc-000001');
  assert.is(world.ingest.core.stores.incidents.listOpen().length, 1);
  assert.equal(
    [world.ingest.counters().accepted, world.ingest.counters().duplicate],
    [1, 2],
  );
});

test('replayed, forged and truncated alarms are receipted, refused and counted', async () => {
  const gateway = await world.gateway('gw-a');
  const frame = postFrame(alarm(40));
  await send(gateway, 'gw-a', uplink(frame));
  await send(gateway, 'gw-a', uplink(postFrame(alarm(3))));
  await send(gateway, 'gw-a', uplink(postFrame(alarm(41), new Uint8Array(32).fill(1))));
  await send(gateway, 'gw-a', uplink(frame.subarray(0, 20)));
  const counts = world.ingest.counters();
  assert.equal([counts.replay, counts['bad-tag'], counts.malformed], [1, 1, 1]);
  assert.is(world.ingest.core.stores.incidents.listOpen().length, 1);
});

test('a wearable alarm resolves through its rotating id across a window change', async () => {
  const desk = await world.dispatch();
  const gateway = await world.gateway('gw-b');
  const frame = wearableFrame(alarm(1), world.now);
  const heardIn = windowOf(Math.floor(world.now / 1000));
  world.now += 15 * 60_000;
  await send(gateway, 'gw-b', uplink(frame, { link: 'ble', rssi: -58 }));
  const feed = json<IncidentFeedJson>(await desk.waitFor(isIncident));
  assert.is(feed.device, WEARABLE);
  assert.is(feed.deviceKind, 'wearable');
  assert.is(feed.location?.radiusM, 500);
  const down = decode((await gateway.waitFor(() => true)).payload) as DownlinkEnvelope;
  assert.is(down.link, 'ble');
  const ack = decodeWearableAck(sha256, wearableKey, heardIn, down.frame);
  assert.ok(ack.ok && verifyWearableAck(sha256, wearableKey, ack.value, heardIn));
});

test('press to close: commands move the incident and acks reach the right gateway', async () => {
  const desk = await world.dispatch();
  const heard = await world.gateway('gw-b');
  const other = await world.gateway('gw-c');
  await send(heard, 'gw-b', uplink(postFrame(alarm(7))));
  const id = json<IncidentFeedJson>(await desk.waitFor(isIncident)).id;
  const commands = [
    { command: 'acknowledge', incident: id, requestId: 'a' },
    { command: 'dispatched', incident: id, eta: 180, requestId: 'b' },
    { command: 'on-scene', incident: id, requestId: 'c' },
    { command: 'close', incident: id, requestId: 'd' },
  ];
  for (const command of commands) {
    world.now += 20_000;
    await desk.client.publishAsync(
      'urgence/v1/dispatch/commands',
      JSON.stringify(command),
      {
        qos: 1,
      },
    );
    const reply = await desk.waitFor(
      (message) =>
        message.topic === 'urgence/v1/dispatch/replies/police' &&
        json<{ requestId: string }>(message).requestId === command.requestId,
    );
    assert.ok(json<{ ok: boolean }>(reply).ok);
  }
  await heard.waitFor((message) => postAck(message).stage === AckStage.Closed);
  assert.equal(
    heard.received.map((message) => postAck(message).stage),
    [
      AckStage.Received,
      AckStage.HelpComing,
      AckStage.HelpComing,
      AckStage.HelpComing,
      AckStage.Closed,
    ],
  );
  assert.equal(other.received, []);
  const closed = await desk.waitFor(
    (message) =>
      isIncident(message) && json<IncidentFeedJson>(message).state === 'closed',
  );
  const times = json<IncidentFeedJson>(closed).times;
  assert.ok(times.acknowledged !== null && times.dispatched !== null);
  assert.ok(times.onScene !== null && times.closed !== null);
});

test('a false alarm reaches the post as a Closed ack on its gateway and cancels the CAP alert', async () => {
  const desk = await world.dispatch();
  const heard = await world.gateway('gw-b');
  const other = await world.gateway('gw-c');
  await send(heard, 'gw-b', uplink(postFrame(alarm(3))));
  const id = json<IncidentFeedJson>(await desk.waitFor(isIncident)).id;
  world.now += 20_000;
  const command = { command: 'false-alarm', incident: id, requestId: 'fa' };
  await desk.client.publishAsync(
    'urgence/v1/dispatch/commands',
    JSON.stringify(command),
    {
      qos: 1,
    },
  );
  const closed = await heard.waitFor(
    (message) => postAck(message).stage === AckStage.Closed,
  );
  assert.is(postAck(closed).ref, 3);
  assert.equal(other.received, []);
  const cancel = await desk.waitFor(
    (message) =>
      message.topic === `urgence/v1/feed/cap/${id}` &&
      message.payload.toString().includes('<msgType>Cancel</msgType>'),
  );
  const valid = validateCap(cancel.payload);
  assert.is(valid.status, 0, valid.stderr);
  const feed = await desk.waitFor(
    (message) =>
      isIncident(message) && json<IncidentFeedJson>(message).state === 'false-alarm',
  );
  assert.ok(json<IncidentFeedJson>(feed).times.falseAlarm !== null);
});

test('the retained CAP document validates against the CAP 1.2 schema', async () => {
  const gateway = await world.gateway('gw-a');
  await send(gateway, 'gw-a', uplink(postFrame(alarm(1))));
  const desk = await world.dispatch();
  const cap = await desk.waitFor((message) =>
    message.topic.startsWith('urgence/v1/feed/cap/'),
  );
  const run = validateCap(cap.payload);
  assert.is(run.status, 0, run.stderr);
});

test('a restart keeps incidents and replay state, and the feed is retained again', async () => {
  const gateway = await world.gateway('gw-a');
  await send(gateway, 'gw-a', uplink(postFrame(alarm(9))));
  await world.stop();
  await world.start();
  const desk = await world.dispatch();
  const feed = json<IncidentFeedJson>(await desk.waitFor(isIncident));
  assert.is(feed.id, 'inc-000001');
  const again = await world.gateway('gw-a');
  await send(
    again,
    'gw-a',
    uplink(postFrame({ type: MessageType.Heartbeat, counter: 9 })),
  );
  assert.is(world.ingest.counters().replay, 1);
});

test('a gateway that drops off (last will) is a fault in the feed, cleared on return', async () => {
  const desk = await world.dispatch();
  const gateway = await world.gateway('gw-a');
  // The broker notices the dropped socket on its own time; the grace starts then.
  const noticed = new Promise((resolve) =>
    world.broker.events.once('disconnected', resolve),
  );
  gateway.client.stream.destroy();
  await noticed;
  world.now += 31_000;
  const isFault = (state: string) => (message: Received) =>
    message.topic === 'urgence/v1/feed/faults' &&
    json<{ kind: string; gateway: string; state: string }>(message).gateway === 'gw-a' &&
    json<{ state: string }>(message).state === state;
  const opened = json<{ kind: string }>(await desk.waitFor(isFault('open')));
  assert.is(opened.kind, 'gateway-offline');
  await world.gateway('gw-a');
  await desk.waitFor(isFault('cleared'));
});

test.run();
