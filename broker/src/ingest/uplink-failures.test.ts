// What the ingest does when something goes wrong that is not the gateway's fault: a
// hearing time the feed could not print, a throw while one uplink is recorded, a feed
// that cannot take a message. One uplink must never stop the next, nor the process.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import sinon from 'sinon';
import { DispatchFeed } from '../feed/publisher';
import { decodeUplink, encodeUplink, MAX_HEARING_TIME_MS } from './envelope';
import {
  POST,
  START,
  World,
  alarm,
  postFrame,
  uplink,
  wearableFrame,
} from './test/world';

let world: World;

test.before.each(() => {
  world = new World();
});

test.after.each(() => {
  sinon.restore();
  world.close();
});

const incidents = () => world.ingest.core.stores.incidents.listOpen();

/** A signed alarm in an envelope whose gateway claims it heard it at `lastHeard`. */
function heardAt(lastHeard: number, counter = 1): Buffer {
  return encodeUplink({
    v: 1,
    link: 'serial',
    frame: postFrame(alarm(counter)),
    firstHeard: START - 500,
    lastHeard,
    copies: 1,
    outboxSeq: 1,
  });
}

test('a hearing time past year 9999 is malformed, however well the frame is signed', () => {
  // 9e15 ms is a safe integer but beyond what a JavaScript date can hold (8.64e15).
  for (const time of [9e15, 8.64e15 + 1, MAX_HEARING_TIME_MS + 1]) {
    const decoded = decodeUplink(heardAt(time));
    assert.not.ok(decoded.ok, `accepted lastHeard ${time}`);
  }
  assert.ok(decodeUplink(heardAt(MAX_HEARING_TIME_MS)).ok);
});

test('an alarm heard "in year 287,000" is counted malformed; the next is served', async () => {
  await world.ingest.onUplink('gw-a', heardAt(9e15));
  assert.is(world.ingest.counters().malformed, 1);
  assert.is(incidents().length, 0);
  await world.ingest.onUplink('gw-a', uplink(postFrame(alarm(2))));
  assert.is(incidents().length, 1);
});

test('an rssi of NaN is malformed rather than stored', async () => {
  await world.ingest.onUplink('gw-a', uplink(postFrame(alarm(1)), { rssi: NaN }));
  assert.is(world.ingest.counters().malformed, 1);
  assert.is(incidents().length, 0);
});

test('a throw while recording one uplink refuses it alone; its batch is kept', async () => {
  const store = world.ingest.core.stores.incidents;
  const create = store.create.bind(store);
  sinon.stub(store, 'create').callsFake((fresh) => {
    if (fresh.deviceId === POST) throw new TypeError('a bug met by this alarm');
    return create(fresh);
  });
  // Both in one event-loop turn: the same group commit.
  const [post, wearable] = await Promise.allSettled([
    world.ingest.onUplink('gw-a', uplink(postFrame(alarm(1)))),
    world.ingest.onUplink(
      'gw-b',
      uplink(wearableFrame(alarm(1), START), { link: 'ble', rssi: -60 }),
    ),
  ]);
  assert.is(post.status, 'rejected', 'an unrecorded uplink must not be receipted');
  assert.is(wearable.status, 'fulfilled');
  assert.is(world.ingest.counters()['internal-error'], 1);
  assert.equal(
    incidents().map((incident) => incident.deviceKind),
    ['wearable'],
  );
});

test('a throw while verifying is not receipted either: it may hide a real alarm', async () => {
  sinon.stub(world.registry, 'keysOf').throws(new TypeError('a bug in key lookup'));
  const refused = await world.ingest.onUplink('gw-a', uplink(postFrame(alarm(1)))).then(
    () => false,
    () => true,
  );
  assert.ok(refused, 'receipted an alarm that was never verified');
  assert.is(world.ingest.counters()['internal-error'], 1);
  assert.is(world.ingest.counters().malformed, 0);
});

test('an uplink refused by a throw is taken on retry, not as a replay', async () => {
  const store = world.ingest.core.stores.incidents;
  sinon.stub(store, 'create').throws(new TypeError('a bug met by this alarm'));
  const payload = uplink(postFrame(alarm(1)));
  await world.ingest.onUplink('gw-a', payload).then(
    () => assert.unreachable('receipted an uplink that was not recorded'),
    () => undefined,
  );
  sinon.restore();
  await world.ingest.onUplink('gw-a', payload);
  assert.is(world.ingest.counters().accepted, 1);
  assert.is(world.ingest.counters().replay, 0);
  assert.is(incidents().length, 1);
});

/** Makes the feed throw while building one incident's messages, as bad data would. */
function feedThrowsFor(incidentId: () => string | undefined) {
  const build = DispatchFeed.prototype.incidentChanged;
  sinon.stub(DispatchFeed.prototype, 'incidentChanged').callsFake(function (
    this: DispatchFeed,
    incident,
    change,
  ) {
    if (incident.id === incidentId()) throw new RangeError('Invalid time value');
    return build.call(this, incident, change);
  });
}

test('a recorded alarm whose feed message cannot be built is still receipted', async () => {
  feedThrowsFor(() => 'inc-000001');
  await world.ingest.onUplink('gw-a', uplink(postFrame(alarm(1))));
  assert.is(incidents().length, 1);
  assert.is(world.ingest.counters()['feed-failed'], 1);
  await world.ingest.onUplink(
    'gw-b',
    uplink(wearableFrame(alarm(1), START), { link: 'ble', rssi: -60 }),
  );
  assert.is(world.ingest.counters().accepted, 2);
  assert.is(world.on('urgence/v1/feed/incidents/inc-000002').length, 1);
});

test('at start, an incident the feed cannot show does not hide the next ones', async () => {
  await world.ingest.onUplink('gw-a', uplink(postFrame(alarm(1))));
  await world.ingest.onUplink(
    'gw-b',
    uplink(wearableFrame(alarm(1), START), { link: 'ble', rssi: -60 }),
  );
  const [first, second] = incidents().map((incident) => incident.id);
  world.sent.length = 0;
  feedThrowsFor(() => first);
  world.restart();
  const topic = `urgence/v1/feed/incidents/${second}`;
  // Republishing runs in the background of createIngest: let it reach the end.
  for (let turn = 0; turn < 50 && world.on(topic).length === 0; turn += 1) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.is(world.on(topic).length, 1);
  assert.is(world.ingest.counters()['feed-failed'], 1);
});

test.run();
