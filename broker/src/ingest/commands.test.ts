import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decode } from 'cbor-x';
import {
  AckStage,
  MessageType,
  decodeWearableAck,
  openMessage,
  verifyWearableAck,
  windowOf,
} from '@urgence/protocol';
import type { DownlinkEnvelope } from './envelope';
import { sha256 } from './crypto';
import {
  World,
  postFrame,
  postKey,
  uplink,
  wearableFrame,
  wearableKey,
} from './test/world';

let world: World;

test.before.each(() => {
  world = new World();
});

test.after.each(() => {
  world.close();
});

function command(body: object): Buffer {
  return Buffer.from(JSON.stringify(body));
}

/** What the broker published down to `gateway`, in order. */
function downlinks(gateway: string): DownlinkEnvelope[] {
  return world
    .on(`urgence/v1/gw/${gateway}/down`)
    .map((entry) => decode(entry.payload) as DownlinkEnvelope);
}

function postAcks(gateway: string) {
  return downlinks(gateway).map((envelope) => {
    const opened = openMessage(sha256, envelope.frame, () => postKey);
    assert.ok(opened.ok, 'ack verifies with the post key');
    return opened.ok ? opened.value.message : undefined;
  });
}

async function pressPost() {
  await world.ingest.onUplink(
    'gw-b',
    uplink(postFrame({ type: MessageType.Alarm, counter: 4 })),
  );
  return world.ingest.core.stores.incidents.listOpen()[0].id;
}

test('a recorded alarm is acked as received on the gateway that heard it', async () => {
  await pressPost();
  assert.equal(postAcks('gw-b'), [
    { type: MessageType.Ack, ref: 4, stage: AckStage.Received },
  ]);
  assert.equal(world.on('urgence/v1/gw/gw-a/down'), []);
});

test('press to close: each command moves the incident, replies and acks the device', async () => {
  const id = await pressPost();
  const steps = [
    { command: 'acknowledge', incident: id, requestId: 'r1' },
    { command: 'dispatched', incident: id, eta: 240 },
    { command: 'on-scene', incident: id },
    { command: 'close', incident: id },
  ];
  for (const step of steps) {
    world.now += 30_000;
    const reply = await world.ingest.onDispatchCommand('police', command(step));
    assert.ok(reply.ok, JSON.stringify(reply));
  }
  const incident = world.ingest.core.stores.incidents.require(id);
  assert.equal(
    incident.history.map((change) => change.state),
    ['new', 'acknowledged', 'dispatched', 'on-scene', 'closed'],
  );
  assert.equal(
    postAcks('gw-b').map((ack) =>
      ack?.type === MessageType.Ack ? [ack.stage, ack.eta] : [],
    ),
    [
      [AckStage.Received, undefined],
      [AckStage.HelpComing, undefined],
      [AckStage.HelpComing, 240],
      [AckStage.HelpComing, 240],
      [AckStage.Closed, undefined],
    ],
  );
  const replies = world.json<{ ok: boolean; requestId?: string }>(
    'urgence/v1/dispatch/replies/police',
  );
  assert.is(replies.length, 4);
  assert.is(replies[0].requestId, 'r1');
});

test('a false alarm closes the post with a signed Closed ack and cancels the CAP alert', async () => {
  const id = await pressPost();
  world.now += 30_000;
  const reply = await world.ingest.onDispatchCommand(
    'police',
    command({ command: 'false-alarm', incident: id, requestId: 'fa' }),
  );
  assert.ok(reply.ok && reply.state === 'false-alarm', JSON.stringify(reply));
  assert.equal(reply.ok ? reply.ackSentTo : [], ['gw-b']);
  assert.equal(postAcks('gw-b').at(-1), {
    type: MessageType.Ack,
    ref: 4,
    stage: AckStage.Closed,
  });
  assert.equal(world.on('urgence/v1/gw/gw-a/down'), []);
  const caps = world.on(`urgence/v1/feed/cap/${id}`).map((e) => e.payload.toString());
  assert.match(caps[0], '<msgType>Alert</msgType>');
  assert.match(caps.at(-1) ?? '', '<msgType>Cancel</msgType>');
  // CAP 1.2 §3.2.1: a Cancel references the Alert it withdraws.
  assert.match(caps.at(-1) ?? '', new RegExp(`<references>[^<]*,urgence-${id},`));
  const incident = world.ingest.core.stores.incidents.require(id);
  assert.is(world.ingest.core.stores.incidents.isOpen(incident), false);
});

test('each CAP document of an incident has its own identifier; only the first is an Alert', async () => {
  const id = await pressPost();
  // The same press heard by a second gateway, before dispatch did anything: the history
  // still holds one entry, yet the document changed (gateways) and must not be an Alert.
  await world.ingest.onUplink(
    'gw-a',
    uplink(postFrame({ type: MessageType.Alarm, counter: 4 })),
  );
  world.now += 5_000;
  await world.ingest.onDispatchCommand(
    'police',
    command({ command: 'acknowledge', incident: id }),
  );
  const caps = world.on(`urgence/v1/feed/cap/${id}`).map((e) => e.payload.toString());
  const field = (xml: string, name: string) =>
    new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
  assert.equal(
    caps.map((xml) => field(xml, 'msgType')),
    ['Alert', 'Update', 'Update'],
  );
  const identifiers = caps.map((xml) => field(xml, 'identifier'));
  assert.is(identifiers[0], `urgence-${id}`);
  assert.is(new Set(identifiers).size, 3, identifiers.join(' '));
  for (const xml of caps.slice(1)) assert.match(xml, `,urgence-${id},`);
});

test('a false alarm on a wearable reaches it as a Closed ack under its rotating id', async () => {
  const frame = wearableFrame({ type: MessageType.Alarm, counter: 5 }, world.now);
  await world.ingest.onUplink('gw-a', uplink(frame, { link: 'ble', rssi: -60 }));
  const id = world.ingest.core.stores.incidents.listOpen()[0].id;
  await world.ingest.onDispatchCommand(
    'police',
    command({ command: 'false-alarm', incident: id }),
  );
  const downs = downlinks('gw-a');
  const window = windowOf(Math.floor(world.now / 1000));
  const last = decodeWearableAck(
    sha256,
    wearableKey,
    window,
    downs[downs.length - 1].frame,
  );
  assert.ok(last.ok && verifyWearableAck(sha256, wearableKey, last.value, window));
  assert.is(last.ok ? last.value.message.stage : undefined, AckStage.Closed);
});

test('a command on a closed incident is refused and changes nothing', async () => {
  const id = await pressPost();
  await world.ingest.onDispatchCommand(
    'police',
    command({ command: 'close', incident: id }),
  );
  const reply = await world.ingest.onDispatchCommand(
    'police',
    command({ command: 'acknowledge', incident: id }),
  );
  assert.is(reply.ok, false);
  assert.match(JSON.stringify(reply), 'incident-finished');
});

test('malformed commands are refused with a reason naming what is accepted', async () => {
  const bad = [
    Buffer.from('{'),
    command({ command: 'launch', incident: 'inc-000001' }),
    command({ command: 'acknowledge', incident: '../../x' }),
    command({ command: 'dispatched', incident: 'inc-000001', eta: -5 }),
    command({ command: 'acknowledge', incident: 'inc-999999' }),
  ];
  const errors = [];
  for (const payload of bad) {
    const reply = await world.ingest.onDispatchCommand('police', payload);
    errors.push(reply.ok ? 'accepted' : reply.error);
  }
  assert.equal(errors, [
    'command is not JSON',
    'command must be one of: acknowledge, dispatched, on-scene, close, false-alarm',
    'incident must be an incident id such as inc-000001',
    'eta must be whole seconds, 0..3600',
    'unknown incident',
  ]);
});

test('a repeated command is answered without a second state change', async () => {
  const id = await pressPost();
  await world.ingest.onDispatchCommand(
    'police',
    command({ command: 'acknowledge', incident: id }),
  );
  const again = await world.ingest.onDispatchCommand(
    'police',
    command({ command: 'acknowledge', incident: id }),
  );
  assert.ok(again.ok && again.repeated);
  assert.is(world.ingest.core.stores.incidents.require(id).history.length, 2);
});

test('a wearable repeating an alarm it got no ack for hears the ack again, at most every 10 s', async () => {
  const frame = wearableFrame({ type: MessageType.Alarm, counter: 3 }, world.now);
  const acks = () => world.on('urgence/v1/gw/gw-a/down').length;
  await world.ingest.onUplink('gw-a', uplink(frame, { link: 'ble' }));
  assert.is(acks(), 1);
  world.now += 2_000;
  await world.ingest.onUplink('gw-a', uplink(frame, { link: 'ble' }));
  assert.is(acks(), 1);
  world.now += 10_000;
  await world.ingest.onUplink('gw-a', uplink(frame, { link: 'ble' }));
  assert.is(acks(), 2);
});

test('a wearable ack is addressed by its rotating id and verifies with its key', async () => {
  const frame = wearableFrame({ type: MessageType.Alarm, counter: 9 }, world.now);
  await world.ingest.onUplink('gw-c', uplink(frame, { link: 'ble', rssi: -55 }));
  const id = world.ingest.core.stores.incidents.listOpen()[0].id;
  await world.ingest.onDispatchCommand(
    'police',
    command({ command: 'acknowledge', incident: id }),
  );
  const downs = downlinks('gw-c');
  assert.is(downs.length, 2);
  const window = windowOf(Math.floor(world.now / 1000));
  const last = decodeWearableAck(sha256, wearableKey, window, downs[1].frame);
  assert.ok(last.ok);
  if (!last.ok) return;
  assert.ok(verifyWearableAck(sha256, wearableKey, last.value, window));
  assert.is(last.value.message.stage, AckStage.HelpComing);
  assert.equal(downs[1].rotatingId, last.value.rotatingId);
});

test.run();
