import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunningGateway } from './gateway';
import { OutboxFullError } from './outbox/outbox';
import type { AedesHarness } from './testing/aedes-harness';
import { eventually } from './testing/eventually';
import type { FakeNobleBindings } from './testing/fake-ble';
import { startGatewayRig, stopGatewayRig } from './testing/gateway-rig';
import type { SimulatedPost } from './testing/sim-post';
import type { PtyPair } from './testing/socat';
import { wearableAdvert } from './testing/wearable';

// Records nobody will send again — a wearable frame collapsed from its copies, a fault the
// gateway raised itself — must survive a failed store. The outbox is really full here: its
// budget is filled with alarms while the broker is away, so the store is refused for real.
let harness: AedesHarness;
let pty: PtyPair;
let post: SimulatedPost;
let radio: FakeNobleBindings;
let gateway: RunningGateway;
let dir: string;

test.before.each(async () => {
  ({ harness, pty, dir, radio, gateway, post } = await startGatewayRig({
    gatewayId: 'gw-retry',
    post: { id: '0000003c', key: new Uint8Array(32).fill(4) },
    outboxMaxBytes: 64 * 1024,
  }));
  await harness.waitFor(() => harness.subscribed.has('urgence/v1/gw/gw-retry/down'));
});

test.after.each(() => stopGatewayRig({ post, gateway, pty, harness, dir }));

/** Appends alarms of another post until the outbox refuses one for want of budget. */
async function fillOutbox(): Promise<void> {
  const filler = {
    link: 'serial' as const,
    frame: new Uint8Array(40),
    firstHeard: 1,
    lastHeard: 1,
    copies: 1,
  };
  for (;;) {
    const batch = Array.from({ length: 100 }, () =>
      gateway.outbox.append('000000ff', 'alarm', filler),
    );
    const outcomes = await Promise.allSettled(batch);
    const refused = outcomes.find((o) => o.status === 'rejected');
    if (refused !== undefined) {
      assert.instance(refused.reason, OutboxFullError);
      return;
    }
  }
}

const refusals = () => gateway.counters.dropped['outbox-capacity'] ?? 0;
const retrying = () =>
  (gateway.report() as { outbox: { retrying: number } }).outbox.retrying;

test('a wearable alarm refused by a full outbox still reaches the broker once', async () => {
  await harness.stop();
  await fillOutbox();
  const before = refusals();
  await eventually(() => radio.scanning, 'ble scanning');
  const advert = wearableAdvert(new Uint8Array(32).fill(5), { type: 1, counter: 9 });
  for (let i = 0; i < 5; i++) radio.advertise('d0:00:00:00:00:09', advert, -70);
  await eventually(() => refusals() > before, 'the alarm refused by the full outbox');
  assert.is(retrying(), 1, 'waiting for another try');

  await harness.start(); // receipts free the budget
  for (let i = 0; i < 5; i++) radio.advertise('d0:00:00:00:00:09', advert, -65);
  const wearable = () => harness.uplinks.filter((u) => u.link === 'ble');
  await harness.waitFor(() => wearable().length === 1, 60_000);
  assert.equal(new Uint8Array(wearable()[0].frame), new Uint8Array(advert.subarray(2)));

  // Copies heard after it was stored are duplicates again: still exactly one uplink.
  for (let i = 0; i < 5; i++) radio.advertise('d0:00:00:00:00:09', advert, -60);
  post.send({ type: 1, counter: 1 }); // a later uplink: the copies had their chance
  await harness.waitFor(() => harness.uplinks.some((u) => u.link === 'serial'));
  assert.is(wearable().length, 1);
  assert.is(retrying(), 0);
});

test('a fault record refused by a full outbox is retried until the broker has it', async () => {
  post.send({ type: 3, counter: 1 }); // heard once, then the post dies
  await post.until(() => post.delivered.length === 1);
  await post.close();
  await harness.stop();
  await fillOutbox();
  const before = refusals();
  await eventually(() => refusals() > before, 'the post-silent record refused');

  await harness.start();
  await harness.waitFor(() => harness.uplinks.some((u) => u.link === 'gateway'), 60_000);
  const fault = harness.uplinks.find((u) => u.link === 'gateway');
  assert.is(fault?.event, 'post-silent');
  assert.is(fault?.device, '0000003c');
  assert.is(retrying(), 0);
});

test.run();
