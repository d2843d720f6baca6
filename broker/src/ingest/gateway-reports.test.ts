import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encode } from 'cbor-x';
import { MessageType } from '@urgence/protocol';
import { POST, START, WEARABLE, World, postFrame, uplink } from './test/world';

let world: World;

test.before.each(() => {
  world = new World();
});

test.after.each(() => {
  world.close();
});

/** The record edge-gateway/README.md documents, as its outbox sends it. */
function report(event: string, device = POST, extra: Record<string, unknown> = {}) {
  return encode({
    v: 1,
    link: 'gateway',
    event,
    device,
    port: '/dev/ttyUSB0',
    frame: new Uint8Array(0),
    firstHeard: START - 200_000,
    lastHeard: START - 10_000,
    copies: 1,
    outboxSeq: 7,
    ...extra,
  });
}

test('a post-silent record opens a silent fault naming the gateway', async () => {
  await world.ingest.onUplink('gw-a', report('post-silent'));
  assert.equal(
    world.faultLines().map((line) => [line.kind, line.device, line.gateway, line.state]),
    [['device-silent', POST, 'gw-a', 'open']],
  );
  assert.match(world.faultLines()[0].detail ?? '', /\/dev\/ttyUSB0/);
  assert.is(world.ingest.counters()['gateway-report'], 1);
});

test('a post-back record from the same gateway clears it', async () => {
  await world.ingest.onUplink('gw-a', report('post-silent'));
  await world.ingest.onUplink('gw-a', report('post-back'));
  assert.equal(
    world.faultLines().map((line) => line.state),
    ['open', 'cleared'],
  );
});

test('a signed message from the post through that gateway clears its silence', async () => {
  await world.ingest.onUplink('gw-a', report('post-silent'));
  world.now += 1_000;
  const beat = { type: MessageType.Heartbeat, counter: 1 } as const;
  await world.ingest.onUplink('gw-a', uplink(postFrame(beat), { heardAt: START }));
  assert.equal(
    world.faultLines().map((line) => [line.gateway, line.state]),
    [
      ['gw-a', 'open'],
      ['gw-a', 'cleared'],
    ],
  );
});

test('a silence record older than the post’s last signed message opens nothing', async () => {
  const beat = { type: MessageType.Heartbeat, counter: 1 } as const;
  await world.ingest.onUplink('gw-a', uplink(postFrame(beat), { heardAt: START }));
  await world.ingest.onUplink('gw-a', report('post-silent'));
  assert.equal(world.faultLines(), []);
});

test('events outside the table, unknown, retired and wearable devices are refused', async () => {
  world.registry.addDevice({ id: '0000003b', kind: 'post', key: new Uint8Array(32) });
  world.registry.retireDevice('0000003b');
  await world.ingest.onUplink('gw-a', report('alarm'));
  await world.ingest.onUplink('gw-a', report('post-silent', '0000ffff'));
  await world.ingest.onUplink('gw-a', report('post-silent', '0000003b'));
  await world.ingest.onUplink('gw-a', report('post-silent', WEARABLE));
  await world.ingest.onUplink('gw-a', report('post-silent', POST, { frame: [1] }));
  assert.equal(world.faultLines(), []);
  const counts = world.ingest.counters();
  assert.equal(
    [counts['not-allowed'], counts['unknown-device'], counts.malformed],
    [2, 2, 1],
  );
  assert.is(counts['gateway-report'], 0);
});

test('a record from a gateway not in the registry is refused', async () => {
  await world.ingest.onUplink('gw-zz', report('post-silent'));
  assert.equal(world.faultLines(), []);
  assert.is(world.ingest.counters()['not-allowed'], 1);
});

test('a gateway record neither raises nor closes an alarm', async () => {
  await world.ingest.onUplink('gw-a', report('post-silent'));
  assert.equal(world.ingest.core.stores.incidents.listOpen(), []);
  const alarm = { type: MessageType.Alarm, counter: 1 } as const;
  await world.ingest.onUplink('gw-a', uplink(postFrame(alarm)));
  await world.ingest.onUplink('gw-a', report('post-back'));
  await world.ingest.onUplink('gw-a', report('post-silent', POST, { lastHeard: START }));
  const open = world.ingest.core.stores.incidents.listOpen();
  assert.is(open.length, 1);
  assert.is(open[0].state, 'new');
  assert.is(open[0].presses, 1);
});

test.run();
