// The ingest on a real Aedes, when one uplink goes wrong: a crafted hearing time is
// refused and counted while the broker keeps serving, and an uplink the ingest could
// not record is never receipted, so the gateway keeps it and its retry is recorded.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import sinon from 'sinon';
import { encodeUplink } from './envelope';
import { BrokerWorld } from './test/broker-world';
import type { Received } from './test/broker-world';
import { START, alarm, postFrame, uplink } from './test/world';

let world: BrokerWorld;

test.before.each(async () => {
  world = new BrokerWorld();
  await world.start();
});

test.after.each(async () => {
  sinon.restore();
  await world.close();
});

const UP = 'urgence/v1/gw/gw-a/up';
const isIncident = (message: Received) =>
  message.topic.startsWith('urgence/v1/feed/incidents/');

test('a signed alarm "heard in year 287,000" is refused and counted; the next is served', async () => {
  const desk = await world.dispatch();
  const gateway = await world.gateway('gw-a');
  const crafted = encodeUplink({
    v: 1,
    link: 'serial',
    frame: postFrame(alarm(1)),
    firstHeard: START,
    lastHeard: 9e15,
    copies: 1,
    outboxSeq: 1,
  });
  // Refusals are receipted: retrying garbage would never end (README "Refusals").
  await gateway.client.publishAsync(UP, crafted, { qos: 2 });
  assert.is(world.ingest.counters().malformed, 1);
  await gateway.client.publishAsync(UP, uplink(postFrame(alarm(2))), { qos: 2 });
  const feed = await desk.waitFor(isIncident);
  assert.is((JSON.parse(feed.payload.toString()) as { presses: number }).presses, 1);
  assert.is(world.ingest.core.stores.incidents.listOpen().length, 1);
});

test('an uplink whose recording threw gets no receipt, and its retry is recorded', async () => {
  const store = world.ingest.core.stores.incidents;
  sinon.stub(store, 'create').throws(new TypeError('a bug met by this alarm'));
  const gateway = await world.gateway('gw-a');
  const payload = uplink(postFrame(alarm(1)));
  let receipted = false;
  const closed = new Promise<void>((resolve) =>
    gateway.client.once('close', () => resolve()),
  );
  gateway.client.publish(UP, payload, { qos: 2 }, (error) => {
    if (error === undefined || error === null) receipted = true;
  });
  // The broker answers an unrecorded uplink by closing the connection without PUBREC.
  await closed;
  assert.not.ok(receipted, 'receipted an uplink that was not recorded');
  assert.is(world.ingest.counters()['internal-error'], 1);
  assert.is(store.listOpen().length, 0);
  sinon.restore();
  const again = await world.gateway('gw-a');
  await again.client.publishAsync(UP, payload, { qos: 2 });
  assert.is(store.listOpen().length, 1);
  assert.is(world.ingest.counters().accepted, 1);
});

test.run();
