// Acks across a gateway's reconnect, on a real Aedes with real mqtt.js clients: gateways
// use clean sessions, so what was published on their downlink while they were away is
// gone; the broker tells a returning gateway the current stage of what it heard.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decode } from 'cbor-x';
import { AckStage, MessageType, openMessage } from '@urgence/protocol';
import type { IncidentFeedJson } from '../feed/incident-json';
import type { DownlinkEnvelope } from './envelope';
import { sha256 } from './crypto';
import { BrokerWorld } from './test/broker-world';
import type { Listener, Received } from './test/broker-world';
import { postFrame, postKey, uplink } from './test/world';

let world: BrokerWorld;

test.before.each(async () => {
  world = new BrokerWorld();
  await world.start();
});

test.after.each(async () => {
  await world.close();
});

const alarm = { type: MessageType.Alarm, counter: 3 } as const;

function stageOf(message: Received): number {
  const envelope = decode(message.payload) as DownlinkEnvelope;
  const opened = openMessage(sha256, envelope.frame, () => postKey);
  if (!opened.ok || opened.value.message.type !== MessageType.Ack) {
    throw new Error('downlink is not an ack signed with the post key');
  }
  return opened.value.message.stage;
}

/** Raises an alarm through gw-b and returns its incident id once acked as received. */
async function alarmThrough(gateway: Listener, desk: Listener): Promise<string> {
  await gateway.client.publishAsync('urgence/v1/gw/gw-b/up', uplink(postFrame(alarm)), {
    qos: 2,
  });
  await gateway.waitFor((message) => stageOf(message) === AckStage.Received);
  const feed = await desk.waitFor((m) =>
    m.topic.startsWith('urgence/v1/feed/incidents/'),
  );
  return (JSON.parse(feed.payload.toString()) as IncidentFeedJson).id;
}

async function command(desk: Listener, body: Record<string, unknown>): Promise<void> {
  await desk.client.publishAsync('urgence/v1/dispatch/commands', JSON.stringify(body), {
    qos: 1,
  });
  const reply = await desk.waitFor(
    (m) => m.topic === 'urgence/v1/dispatch/replies/police',
  );
  desk.received.splice(desk.received.indexOf(reply), 1);
  assert.ok((JSON.parse(reply.payload.toString()) as { ok: boolean }).ok);
}

test('an ack sent while the gateway was offline reaches it when it reconnects', async () => {
  const desk = await world.dispatch();
  const before = await world.gateway('gw-b');
  const incident = await alarmThrough(before, desk);
  await before.client.endAsync();

  await command(desk, { command: 'acknowledge', incident });

  const after = await world.gateway('gw-b');
  const ack = await after.waitFor(() => true, 10_000);
  assert.is(stageOf(ack), AckStage.HelpComing);
});

test('a gateway back after a close is told the incident is closed', async () => {
  const desk = await world.dispatch();
  const before = await world.gateway('gw-b');
  const incident = await alarmThrough(before, desk);
  await before.client.endAsync();

  await command(desk, { command: 'close', incident });

  const after = await world.gateway('gw-b');
  const ack = await after.waitFor(() => true, 10_000);
  assert.is(stageOf(ack), AckStage.Closed);
});

test('incidents finished long ago or heard by others are not re-sent', async () => {
  const desk = await world.dispatch();
  const gateway = await world.gateway('gw-b');
  const incident = await alarmThrough(gateway, desk);
  await command(desk, { command: 'close', incident });
  assert.is(await world.ingest.onGatewayDownlinkReady('gw-c'), 0);
  assert.is(await world.ingest.onGatewayDownlinkReady('gw-b'), 1);
  world.now += 11 * 60_000;
  assert.is(await world.ingest.onGatewayDownlinkReady('gw-b'), 0);
});

test.run();
