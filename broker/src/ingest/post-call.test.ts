// A post's intercom call state, from its heartbeats to the incident on the dispatch feed,
// on a real Aedes over TCP (CONTRACTS.md, "Post call state"; README, "Dispatch feed").
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MessageType } from '@urgence/protocol';
import type { IncidentFeedJson } from '../feed/incident-json';
import { BrokerWorld } from './test/broker-world';
import type { Listener, Received } from './test/broker-world';
import { POST, alarm, postFrame, uplink } from './test/world';

let world: BrokerWorld;

test.before.each(async () => {
  world = new BrokerWorld();
  await world.start();
});

test.after.each(async () => {
  await world.close();
});

const CHANGES = 'urgence/v1/feed/changes';
const heartbeat = (counter: number, inCall: boolean) =>
  ({ type: MessageType.Heartbeat, counter, mains: true, inCall }) as const;

interface ChangeLine {
  incident: string;
  change: string;
  at: string;
}

function json<T>(message: Received): T {
  return JSON.parse(message.payload.toString()) as T;
}

async function send(gateway: Listener, payload: Buffer): Promise<void> {
  // Resolves on PUBCOMP: recorded, and announced before the receipt went.
  await gateway.client.publishAsync('urgence/v1/gw/gw-a/up', payload, { qos: 2 });
}

/** The intercom change line of this incident sent at `at` (lines carry their time). */
function intercomLineAt(id: string, at: number) {
  return (message: Received) =>
    intercomLines(id, [message]).some((line) => line.at === new Date(at).toISOString());
}

function intercomLines(id: string, received: readonly Received[]): ChangeLine[] {
  return received
    .filter((message) => message.topic === CHANGES)
    .map((message) => json<ChangeLine>(message))
    .filter((line) => line.incident === id && line.change === 'intercom');
}

test('a call on the post shows on its incident once, and then as ended', async () => {
  const desk = await world.dispatch();
  const gateway = await world.gateway('gw-a');
  await send(gateway, uplink(postFrame(alarm(1))));
  const created = await desk.waitFor((message) =>
    message.topic.startsWith('urgence/v1/feed/incidents/'),
  );
  const topic = created.topic;
  const id = topic.slice(topic.lastIndexOf('/') + 1);
  const states = () =>
    desk.on(topic).map((message) => json<IncidentFeedJson>(message).intercom?.state);
  assert.equal(states(), [undefined]);

  world.now += 4_000;
  await send(gateway, uplink(postFrame(heartbeat(2, true))));
  await desk.waitFor(intercomLineAt(id, world.now));
  const calling = json<IncidentFeedJson>(desk.on(topic)[1]);
  assert.equal(calling.intercom, {
    state: 'calling',
    since: new Date(world.now).toISOString(),
  });

  // The post repeats itself every minute; the dispatcher hears nothing new.
  world.now += 60_000;
  await send(gateway, uplink(postFrame(heartbeat(3, true))));
  world.now += 30_000;
  await send(gateway, uplink(postFrame(heartbeat(4, false))));
  // The ended line comes after anything the repeat could have caused, on the same session.
  await desk.waitFor(intercomLineAt(id, world.now));
  assert.is(intercomLines(id, desk.received).length, 2);
  assert.equal(states(), [undefined, 'calling', 'ended']);
  const ended = json<IncidentFeedJson>(desk.on(topic)[2]);
  assert.is(ended.intercom?.since, new Date(world.now).toISOString());
  assert.is(world.ingest.core.stores.devices.get(POST)?.inCall, false);
});

test.run();
