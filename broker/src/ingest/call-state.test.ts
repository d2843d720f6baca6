// The edges of a post's call state on its incident (post-call.test.ts has the main path
// over Aedes): a post that never calls, a late older heartbeat, no incident to follow.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MessageType } from '@urgence/protocol';
import type { IncidentFeedJson } from '../feed/incident-json';
import { POST, World, alarm, postFrame, uplink } from './test/world';

const CHANGES = 'urgence/v1/feed/changes';
const INCIDENT = 'urgence/v1/feed/incidents/inc-000001';

let world: World;

test.before.each(() => {
  world = new World();
});

test.after.each(() => {
  world.close();
});

const heartbeat = (counter: number, inCall: boolean) =>
  ({ type: MessageType.Heartbeat, counter, inCall }) as const;

async function hear(message: Parameters<typeof postFrame>[0]): Promise<void> {
  await world.ingest.onUplink('gw-a', uplink(postFrame(message)));
}

const changes = () => world.json<{ change: string }>(CHANGES).map((line) => line.change);
const intercom = () =>
  world.json<IncidentFeedJson>(INCIDENT).map((json) => json.intercom);

test('a post that reports no call during its incident shows idle, once', async () => {
  await hear(alarm(1));
  world.now += 5_000;
  await hear(heartbeat(2, false));
  await hear(heartbeat(3, false));
  assert.equal(changes(), ['created', 'intercom']);
  assert.equal(intercom(), [
    null,
    { state: 'idle', since: new Date(world.now).toISOString() },
  ]);
});

test('a call that starts after idle shows calling, and its end shows ended', async () => {
  await hear(alarm(1));
  await hear(heartbeat(2, false));
  await hear(heartbeat(3, true));
  await hear(heartbeat(4, false));
  await hear(heartbeat(5, false));
  assert.equal(
    intercom().map((state) => state?.state),
    [undefined, 'idle', 'calling', 'ended'],
  );
});

test('a late heartbeat older than the last call report does not undo it', async () => {
  await hear(alarm(1));
  await hear(heartbeat(3, true));
  await hear(heartbeat(2, false));
  assert.equal(changes(), ['created', 'intercom']);
  assert.is(
    world.ingest.core.stores.incidents.require('inc-000001').intercom?.state,
    'calling',
  );
  assert.is(world.ingest.core.stores.devices.get(POST)?.inCall, true);
});

test('without an open incident the call state is kept for the post and the feed is quiet', async () => {
  await hear(heartbeat(1, true));
  assert.is(world.ingest.core.stores.devices.get(POST)?.inCall, true);
  assert.equal(world.sent, []);
});

test('a heartbeat without the call state (an older post) leaves what is known', async () => {
  await hear(alarm(1));
  await hear(heartbeat(2, true));
  await hear({ type: MessageType.Heartbeat, counter: 3, mains: true });
  assert.equal(changes(), ['created', 'intercom']);
  assert.is(world.ingest.core.stores.devices.get(POST)?.inCall, true);
});

test('a closed incident keeps the intercom state it closed with', async () => {
  await hear(alarm(1));
  await hear(heartbeat(2, true));
  world.ingest.core.stores.incidents.moveTo('inc-000001', 'closed', world.now, 'test');
  await hear(heartbeat(3, false));
  assert.equal(changes(), ['created', 'intercom']);
  assert.is(
    world.ingest.core.stores.incidents.require('inc-000001').intercom?.state,
    'calling',
  );
});

test.run();
