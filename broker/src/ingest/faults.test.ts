// Device faults becoming fault records on the feed: each kind a post reports, opened and
// cleared, and the privacy rule for wearables — outside an alarm a wearable's fault names
// the device and the fault, never a location, a gateway or a signal strength.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FaultCode, MessageType } from '@urgence/protocol';
import { faultJson } from '../feed/publisher';
import {
  POST,
  START,
  WEARABLE,
  World,
  postFrame,
  uplink,
  wearableFrame,
} from './test/world';

let world: World;

test.before.each(() => {
  world = new World();
});

test.after.each(() => {
  world.close();
});

const fault = (counter: number, code: FaultCode, active: boolean) =>
  ({ type: MessageType.Fault, counter, fault: code, active }) as const;

const postFaults: [string, FaultCode][] = [
  ['tamper', FaultCode.Tamper],
  ['mains-lost', FaultCode.MainsLost],
  ['on-battery', FaultCode.OnBattery],
  ['low-battery', FaultCode.LowBattery],
  ['self-test-failed', FaultCode.SelfTestFailed],
  ['stuck-button', FaultCode.StuckButton],
];

for (const [kind, code] of postFaults) {
  test(`a post reporting ${kind} opens a ${kind} fault, and clearing it closes it`, async () => {
    await world.ingest.onUplink('gw-a', uplink(postFrame(fault(1, code, true))));
    await world.ingest.onUplink('gw-a', uplink(postFrame(fault(2, code, true))));
    await world.ingest.onUplink('gw-a', uplink(postFrame(fault(3, code, false))));
    const lines = world.faultLines();
    assert.equal(
      lines.map((line) => [line.kind, line.device, line.state]),
      [
        [kind, POST, 'open'],
        [kind, POST, 'cleared'],
      ],
      'reported twice, one fault; cleared once',
    );
    const retained = world.on(`urgence/v1/feed/faults/${lines[0].id}`);
    assert.is(retained.at(-1)?.payload.length, 0, 'the retained copy is emptied');
    assert.equal(world.ingest.core.stores.incidents.listOpen(), []);
  });
}

test("a wearable's low battery names the device and the fault, nothing that locates it", async () => {
  const frame = wearableFrame(fault(1, FaultCode.LowBattery, true), START);
  await world.ingest.onUplink('gw-a', uplink(frame, { link: 'ble', rssi: -52 }));
  await world.ingest.onUplink('gw-b', uplink(frame, { link: 'ble', rssi: -71 }));
  const [line, ...more] = world.faultLines();
  assert.equal(more, [], 'heard twice, one fault');
  assert.equal(Object.keys(line).sort(), [
    'clearedAt',
    'detail',
    'device',
    'gateway',
    'id',
    'kind',
    'openedAt',
    'state',
  ]);
  assert.equal(
    [line.kind, line.device, line.gateway, line.detail],
    ['low-battery', WEARABLE, null, null],
  );
  const feed = world.sent.filter((entry) => entry.topic.startsWith('urgence/v1/feed/'));
  assert.ok(
    feed.every((entry) => entry.topic.startsWith('urgence/v1/feed/faults')),
    'no incident, no other topic',
  );
  for (const entry of feed) {
    const text = entry.payload.toString();
    for (const word of ['gw-a', 'gw-b', 'rssi', '-52', 'lat', 'location', 'heardBy']) {
      assert.not.ok(text.includes(word), `${entry.topic} carries ${word}`);
    }
  }
});

test("the feed withholds gateway and detail of any wearable fault, and keeps a post's", () => {
  const recorded = {
    id: 7,
    kind: 'device-silent',
    deviceId: WEARABLE,
    gatewayId: 'gw-b',
    openedAt: START,
    clearedAt: null,
    detail: 'silent on gw-b since 2026-12-03T18:57:30.000Z',
  };
  const wearable = faultJson(recorded, true);
  assert.equal([wearable.gateway, wearable.detail], [null, null]);
  const post = faultJson({ ...recorded, deviceId: POST }, false);
  assert.equal([post.gateway, post.detail], ['gw-b', recorded.detail]);
});

test.run();
