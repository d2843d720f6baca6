import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FaultCode, MessageType } from '@urgence/protocol';
import { incidentFeedJson } from '../feed/incident-json';
import type { IncidentFeedJson } from '../feed/incident-json';
import { withheldGateways } from '../feed/publisher';
import {
  POST,
  START,
  WEARABLE,
  World,
  alarm,
  postFrame,
  uplink,
  wearableFrame,
  wearableKey,
} from './test/world';

const FEED_CHANGES = 'urgence/v1/feed/changes';
const FEED_INCIDENT = (id: string) => `urgence/v1/feed/incidents/${id}`;

let world: World;

test.before.each(() => {
  world = new World();
});

test.after.each(() => {
  world.close();
});

const incidents = () => world.ingest.core.stores.incidents.listOpen();

test('a valid post alarm becomes one incident at the post, on the feed and in CAP', async () => {
  await world.ingest.onUplink('gw-a', uplink(postFrame(alarm(1))));
  const open = incidents();
  assert.is(open.length, 1);
  assert.is(open[0].deviceId, POST);
  assert.equal(open[0].location?.radiusM, 0);
  const feed = world.json<IncidentFeedJson>(`urgence/v1/feed/incidents/${open[0].id}`);
  assert.is(feed[0].times.pressed, new Date(START - 500).toISOString());
  assert.is(world.on(`urgence/v1/feed/cap/${open[0].id}`).length, 1);
  assert.is(world.ingest.counters().accepted, 1);
});

test('the same alarm through three gateways is one incident heard by three', async () => {
  const frame = postFrame(alarm(1));
  await world.ingest.onUplink('gw-a', uplink(frame, { rssi: -70 }));
  await world.ingest.onUplink('gw-b', uplink(frame, { rssi: -60 }));
  await world.ingest.onUplink('gw-c', uplink(frame, { rssi: -80 }));
  const open = incidents();
  assert.is(open.length, 1);
  assert.equal(
    open[0].heardBy.map((heard) => heard.gatewayId),
    ['gw-a', 'gw-b', 'gw-c'],
  );
  assert.is(open[0].presses, 1);
  assert.equal(world.ingest.counters(), {
    ...world.ingest.counters(),
    accepted: 1,
    duplicate: 2,
  });
});

test('a second press while the incident is open joins it as a re-press', async () => {
  await world.ingest.onUplink('gw-a', uplink(postFrame(alarm(1))));
  await world.ingest.onUplink('gw-a', uplink(postFrame(alarm(2))));
  const open = incidents();
  assert.is(open.length, 1);
  assert.is(open[0].presses, 2);
  assert.is(open[0].lastCounter, 2);
});

test('uplinks arriving together are all recorded, in arrival order', async () => {
  const sends = [];
  for (let counter = 1; counter <= 50; counter += 1) {
    sends.push(world.ingest.onUplink('gw-a', uplink(postFrame(alarm(counter)))));
  }
  await Promise.all(sends);
  const open = incidents();
  assert.is(open.length, 1);
  assert.equal([open[0].counter, open[0].presses, open[0].lastCounter], [1, 50, 50]);
});

test('in a batch each receipt follows its own announcement, the latest state last', async () => {
  const announcedAtReceipt: number[] = [];
  const sends = [];
  for (let counter = 1; counter <= 20; counter += 1) {
    const sent = world.ingest.onUplink('gw-a', uplink(postFrame(alarm(counter))));
    sends.push(sent.then(() => announcedAtReceipt.push(world.on(FEED_CHANGES).length)));
  }
  await Promise.all(sends);
  // One change line per uplink (created, then re-pressed): each receipt saw all its own.
  assert.is(world.on(FEED_CHANGES).length, 20);
  announcedAtReceipt.forEach((seen, index) => assert.ok(seen >= index + 1));
  const states = world.json<IncidentFeedJson>(
    `urgence/v1/feed/incidents/${incidents()[0].id}`,
  );
  assert.equal(
    states.map((state) => state.presses),
    Array.from({ length: 20 }, (_, index) => index + 1),
  );
});

test('when storage fails the uplink is not receipted: its promise rejects', async () => {
  world.registry.db.exec('DROP TABLE incident_gateways');
  let failed = false;
  await world.ingest.onUplink('gw-a', uplink(postFrame(alarm(1)))).catch(() => {
    failed = true;
  });
  assert.ok(failed);
  assert.is(world.ingest.counters().accepted, 0);
  assert.is(incidents().length, 0);
});

test('a counter reused for another message is a replay, refused and counted', async () => {
  await world.ingest.onUplink('gw-a', uplink(postFrame(alarm(5))));
  await world.ingest.onUplink(
    'gw-a',
    uplink(postFrame({ type: MessageType.TestAlarm, counter: 5 })),
  );
  assert.is(world.ingest.counters().replay, 1);
  assert.is(world.ingest.core.stores.incidents.openFor(POST, 'test'), undefined);
});

test('a copy recorded long ago whose incident is closed is a replay, not a duplicate', async () => {
  const frame = postFrame(alarm(5));
  await world.ingest.onUplink('gw-a', uplink(frame));
  const id = incidents()[0].id;
  world.ingest.core.stores.incidents.moveTo(id, 'closed', world.now, 'dispatch:test');
  world.now += 16 * 60_000;
  await world.ingest.onUplink('gw-b', uplink(frame));
  assert.is(world.ingest.counters().replay, 1);
  assert.is(world.ingest.core.stores.incidents.require(id).heardBy.length, 1);
});

test('a counter older than the 32-entry window is a replay', async () => {
  await world.ingest.onUplink('gw-a', uplink(postFrame(alarm(100))));
  await world.ingest.onUplink(
    'gw-a',
    uplink(postFrame({ type: MessageType.Heartbeat, counter: 60 })),
  );
  assert.is(world.ingest.counters().replay, 1);
});

test('a forged alarm (wrong key) is refused as bad-tag and makes no incident', async () => {
  await world.ingest.onUplink(
    'gw-a',
    uplink(postFrame(alarm(1), new Uint8Array(32).fill(1))),
  );
  assert.is(world.ingest.counters()['bad-tag'], 1);
  assert.is(incidents().length, 0);
});

test('a truncated frame and a non-CBOR envelope are malformed, never thrown', async () => {
  const frame = postFrame(alarm(1));
  await world.ingest.onUplink('gw-a', uplink(frame.subarray(0, frame.length - 3)));
  await world.ingest.onUplink('gw-a', Buffer.from('not cbor at all'));
  await world.ingest.onUplink('gw-a', uplink(frame).subarray(0, 10));
  assert.is(world.ingest.counters().malformed, 3);
  assert.is(incidents().length, 0);
});

test('an unregistered device is refused as unknown-device', async () => {
  await world.ingest.onUplink('gw-a', uplink(postFrame(alarm(1), undefined, '0badbeef')));
  assert.is(world.ingest.counters()['unknown-device'], 1);
});

test('a wearable speaking over a serial link is not allowed', async () => {
  const sealed = postFrame(alarm(1), wearableKey, WEARABLE);
  await world.ingest.onUplink('gw-a', uplink(sealed, { link: 'serial' }));
  assert.is(world.ingest.counters()['not-allowed'], 1);
  assert.is(incidents().length, 0);
});

test('a wearable alarm resolves through its rotating id and carries a blurred area', async () => {
  const frame = wearableFrame(alarm(1), world.now);
  await world.ingest.onUplink('gw-a', uplink(frame, { link: 'ble', rssi: -60 }));
  const open = incidents();
  assert.is(open.length, 1);
  assert.is(open[0].deviceId, WEARABLE);
  assert.is(open[0].location?.radiusM, 500);
  assert.is(open[0].location?.source, 'gateways');
});

test('what the feed announces is the incident as stored, after every copy and press', async () => {
  const announced = (id: string) =>
    world.json<IncidentFeedJson>(FEED_INCIDENT(id)).at(-1);
  const stored = () => incidents().find((incident) => incident.deviceKind === 'wearable');
  const wearable = wearableFrame(alarm(1), world.now);
  for (const [gateway, rssi] of [
    ['gw-a', -80],
    ['gw-b', -55],
    ['gw-c', -70],
  ] as const) {
    world.now += 1_000;
    await world.ingest.onUplink(gateway, uplink(wearable, { link: 'ble', rssi }));
    const incident = stored();
    assert.ok(incident);
    // Policy "area": the feed withholds the gateways, and so does the expectation.
    assert.equal(
      announced(incident.id),
      incidentFeedJson(withheldGateways(incident), world.now),
    );
  }
  const steps = [
    ['gw-a', postFrame(alarm(1))],
    ['gw-b', postFrame(alarm(1))],
    ['gw-a', postFrame(alarm(2))],
  ] as const;
  for (const [gateway, frame] of steps) {
    world.now += 1_000;
    await world.ingest.onUplink(gateway, uplink(frame, { rssi: -60 }));
    const incident = incidents().find((open) => open.deviceKind === 'post');
    assert.ok(incident);
    assert.equal(announced(incident.id), incidentFeedJson(incident, world.now));
  }
});

test('a wearable alarm sent just before a window change still resolves after it', async () => {
  const frame = wearableFrame(alarm(1), world.now);
  world.now += 15 * 60_000;
  await world.ingest.onUplink('gw-a', uplink(frame, { link: 'ble' }));
  assert.is(incidents()[0]?.deviceId, WEARABLE);
});

test('a wearable registered after the index was built resolves on its first alarm', async () => {
  const beat = { type: MessageType.Heartbeat, counter: 1 } as const;
  await world.ingest.onUplink(
    'gw-a',
    uplink(wearableFrame(beat, world.now), { link: 'ble' }),
  );
  const newKey = new Uint8Array(32).fill(5);
  world.registry.addDevice({
    id: '000000cc',
    kind: 'wearable',
    key: newKey,
    policy: 'precise',
  });
  world.now += 2_000;
  const frame = wearableFrame(alarm(1), world.now, newKey);
  await world.ingest.onUplink('gw-a', uplink(frame, { link: 'ble' }));
  assert.is(incidents()[0]?.deviceId, '000000cc');
  assert.is(incidents()[0]?.location?.radiusM, 100);
});

test('a wearable feed entry names no gateway unless its owner chose precise', async () => {
  const frame = wearableFrame(alarm(1), world.now);
  await world.ingest.onUplink('gw-a', uplink(frame, { link: 'ble', rssi: -60 }));
  const id = incidents()[0].id;
  const feed = world.json<IncidentFeedJson>(`urgence/v1/feed/incidents/${id}`);
  assert.equal(
    feed[0].heardBy.map((heard) => [heard.gateway, heard.bestRssi]),
    [['withheld', null]],
  );
  const cap = world.on(`urgence/v1/feed/cap/${id}`)[0].payload.toString();
  assert.not.match(cap, 'gw-a');
});

test('a press time from a gateway clock a week off is clamped to a day', async () => {
  const heardAt = START - 7 * 24 * 3_600_000;
  await world.ingest.onUplink('gw-a', uplink(postFrame(alarm(1)), { heardAt }));
  assert.is(incidents()[0].pressedAt, START - 24 * 3_600_000);
});

test('a wearable frame altered on the way is refused as bad-tag', async () => {
  const frame = wearableFrame(alarm(1), world.now);
  frame[10] ^= 0x01;
  await world.ingest.onUplink('gw-a', uplink(frame, { link: 'ble' }));
  assert.is(world.ingest.counters()['bad-tag'], 1);
  assert.is(incidents().length, 0);
});

test('a wearable whose owner chose "none" has an incident without location', async () => {
  world.registry.addDevice(
    { id: WEARABLE, kind: 'wearable', key: new Uint8Array(32).fill(9), policy: 'none' },
    { replace: true },
  );
  await world.ingest.onUplink(
    'gw-a',
    uplink(wearableFrame(alarm(1), world.now), { link: 'ble' }),
  );
  assert.is(incidents()[0].location, null);
});

test('a wearable heartbeat publishes nothing about it on the feed', async () => {
  const beat = { type: MessageType.Heartbeat, counter: 1 } as const;
  await world.ingest.onUplink(
    'gw-a',
    uplink(wearableFrame(beat, world.now), { link: 'ble' }),
  );
  assert.is(world.ingest.counters().accepted, 1);
  assert.equal(
    world.sent.filter((entry) => entry.topic.includes('/feed/')),
    [],
  );
});

test('a device cancel is recorded on the incident but does not close it', async () => {
  await world.ingest.onUplink('gw-a', uplink(postFrame(alarm(1))));
  await world.ingest.onUplink(
    'gw-a',
    uplink(postFrame({ type: MessageType.Cancel, counter: 2 })),
  );
  const open = incidents();
  assert.is(open.length, 1);
  assert.is(open[0].history.at(-1)?.state, 'device-cancel');
});

test('a tamper fault opens a fault on the feed and its clearing closes it', async () => {
  const fault = (counter: number, active: boolean) =>
    ({ type: MessageType.Fault, counter, fault: FaultCode.Tamper, active }) as const;
  await world.ingest.onUplink('gw-a', uplink(postFrame(fault(1, true))));
  await world.ingest.onUplink('gw-a', uplink(postFrame(fault(2, false))));
  const lines = world.json<{ kind: string; state: string }>('urgence/v1/feed/faults');
  assert.equal(
    lines.map((line) => [line.kind, line.state]),
    [
      ['tamper', 'open'],
      ['tamper', 'cleared'],
    ],
  );
  assert.is(world.ingest.core.stores.devices.get(POST)?.tamper, false);
});

test('after a restart incidents are kept and a reused counter is still a replay', async () => {
  await world.ingest.onUplink('gw-a', uplink(postFrame(alarm(7))));
  world.restart();
  assert.is(incidents().length, 1);
  await world.ingest.onUplink(
    'gw-a',
    uplink(postFrame({ type: MessageType.Heartbeat, counter: 7 })),
  );
  assert.is(world.ingest.counters().replay, 1);
  await world.ingest.onUplink('gw-b', uplink(postFrame(alarm(7))));
  assert.is(world.ingest.counters().duplicate, 1);
  assert.is(incidents().length, 1);
});

test('during a key rotation a message under the old key is accepted', async () => {
  world.registry.rotateKey(POST, new Uint8Array(32).fill(3));
  await world.ingest.onUplink('gw-a', uplink(postFrame(alarm(1))));
  assert.is(world.ingest.counters().accepted, 1);
  assert.ok(world.ingest.core.stores.devices.get(POST)?.onPreviousKey);
});

test.run();
