import { test } from 'uvu';
import * as assert from 'uvu/assert';
import sinon from 'sinon';
import pino from 'pino';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRegistry } from '../registry/index';
import type { Registry } from '../registry/index';
import { applyIncidentSchema } from '../incidents/schema';
import { FaultStore } from '../incidents/faults';
import { DeviceStore } from '../incidents/devices';
import { DispatchFeed } from '../feed/publisher';
import { FaultBook } from './fault-book';
import { Supervisor } from './supervisor';

interface Sent {
  topic: string;
  payload: string;
  retain: boolean;
}

let dir: string;
let registry: Registry;
let clock: sinon.SinonFakeTimers;
let sent: Sent[];
let supervisor: Supervisor;

const logger = pino({ level: 'silent' });

test.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), 'urgence-supervision-'));
  registry = openRegistry(join(dir, 'broker.db'));
  applyIncidentSchema(registry);
  clock = sinon.useFakeTimers({
    now: Date.UTC(2026, 11, 3, 19, 0, 0),
    toFake: ['Date', 'setInterval', 'clearInterval'],
  });
  sent = [];
  const feed = new DispatchFeed({
    publish: async (topic, payload, options) => {
      sent.push({ topic, payload: String(payload), retain: options.retain });
    },
    clock: { now: () => Date.now() },
    capSender: 'test',
    isWearable: (deviceId) => registry.getDevice(deviceId)?.kind === 'wearable',
    logger,
  });
  const faults = new FaultBook(new FaultStore(registry.db), feed, logger);
  supervisor = new Supervisor({
    db: registry.db,
    faults,
    logger,
    now: () => Date.now(),
  });
  supervisor.start();
});

test.after.each(() => {
  supervisor.stop();
  clock.restore();
  registry.close();
  rmSync(dir, { recursive: true, force: true });
});

function feedInto(into: Sent[]) {
  return new DispatchFeed({
    publish: async (topic, payload, options) => {
      into.push({ topic, payload: String(payload), retain: options.retain });
    },
    clock: { now: () => Date.now() },
    capSender: 'test',
    isWearable: (deviceId) => registry.getDevice(deviceId)?.kind === 'wearable',
    logger,
  });
}

function faultLines() {
  return sent
    .filter((entry) => entry.topic === 'urgence/v1/feed/faults')
    .map((entry) => JSON.parse(entry.payload) as { kind: string; state: string });
}

async function advance(ms: number) {
  await clock.tickAsync(ms);
}

test('a gateway offline past its grace is a fault in the feed within 90 s', async () => {
  await supervisor.gatewayState('gw-1', 'offline');
  await advance(89_000);
  assert.equal(
    faultLines().map((line) => [line.kind, line.state]),
    [['gateway-offline', 'open']],
  );
});

test('a gateway back within the grace raises no fault', async () => {
  await supervisor.gatewayState('gw-1', 'offline');
  await advance(10_000);
  await supervisor.gatewayState('gw-1', 'online');
  await advance(120_000);
  assert.equal(faultLines(), []);
});

test('a gateway coming back clears its fault and drops the retained copy', async () => {
  await supervisor.gatewayState('gw-1', 'offline');
  await advance(90_000);
  await supervisor.gatewayState('gw-1', 'online');
  assert.equal(
    faultLines().map((line) => line.state),
    ['open', 'cleared'],
  );
  const retained = sent.filter((entry) =>
    entry.topic.startsWith('urgence/v1/feed/faults/'),
  );
  assert.is(retained.at(-1)?.payload, '');
});

test('a post silent for three heartbeats is a silent-device fault within 90 s of it', async () => {
  registry.addDevice({ id: '0000002a', kind: 'post', key: new Uint8Array(32).fill(1) });
  new DeviceStore(registry.db).touch('0000002a', Date.now(), 1, {});
  await advance(180_000 + 89_000);
  assert.equal(
    faultLines().map((line) => line.kind),
    ['device-silent'],
  );
});

test('a silence its gateway reported does not hide the broker’s own silence check', async () => {
  registry.addDevice({ id: '0000002a', kind: 'post', key: new Uint8Array(32).fill(1) });
  new DeviceStore(registry.db).touch('0000002a', Date.now(), 1, {});
  new FaultStore(registry.db).open(
    'device-silent',
    { deviceId: '0000002a', gatewayId: 'gw-1' },
    Date.now(),
    'reported by the gateway',
  );
  await advance(180_000 + 89_000);
  const lines = sent
    .filter((entry) => entry.topic === 'urgence/v1/feed/faults')
    .map((entry) => JSON.parse(entry.payload) as { kind: string; gateway: unknown });
  assert.equal(lines, [{ ...lines[0], kind: 'device-silent', gateway: null }]);
});

test('a post that keeps talking is never silent', async () => {
  registry.addDevice({ id: '0000002a', kind: 'post', key: new Uint8Array(32).fill(1) });
  const devices = new DeviceStore(registry.db);
  for (let beat = 0; beat < 10; beat += 1) {
    devices.touch('0000002a', Date.now(), beat, {});
    await advance(60_000);
  }
  assert.equal(faultLines(), []);
});

test('a wearable may stay quiet for a day before it counts as silent', async () => {
  registry.addDevice({
    id: '000000aa',
    kind: 'wearable',
    key: new Uint8Array(32).fill(2),
  });
  await advance(24 * 3_600_000);
  assert.equal(faultLines(), []);
  await advance(3_600_000 + 90_000);
  assert.equal(
    faultLines().map((line) => line.kind),
    ['device-silent'],
  );
  // Outside an alarm the feed names a wearable and its fault, never anything placing it.
  const line = faultLines()[0] as unknown as Record<string, unknown>;
  assert.equal([line.device, line.gateway, line.detail], ['000000aa', null, null]);
});

test('a shortened heartbeat and check period report a silent post within a second', async () => {
  supervisor.stop();
  supervisor = new Supervisor({
    db: registry.db,
    faults: new FaultBook(new FaultStore(registry.db), feedInto(sent), logger),
    logger,
    now: () => Date.now(),
    options: { postHeartbeatMs: 2_000, checkPeriodMs: 500 },
  });
  supervisor.start();
  registry.addDevice({ id: '0000002a', kind: 'post', key: new Uint8Array(32).fill(1) });
  new DeviceStore(registry.db).touch('0000002a', Date.now(), 1, {});
  await advance(5_900);
  assert.equal(faultLines(), []);
  await advance(600);
  assert.equal(
    faultLines().map((line) => line.kind),
    ['device-silent'],
  );
});

test('a registered gateway that never connects after a start becomes a fault', async () => {
  supervisor.stop();
  registry.addGateway({
    id: 'gw-9',
    secret: 'a-long-gateway-secret',
    location: { lat: 1, lon: 1 },
  });
  const feed = new DispatchFeed({
    publish: async (topic, payload, options) => {
      sent.push({ topic, payload: String(payload), retain: options.retain });
    },
    clock: { now: () => Date.now() },
    capSender: 'test',
    isWearable: (deviceId) => registry.getDevice(deviceId)?.kind === 'wearable',
    logger,
  });
  supervisor = new Supervisor({
    db: registry.db,
    faults: new FaultBook(new FaultStore(registry.db), feed, logger),
    logger,
    now: () => Date.now(),
  });
  supervisor.start();
  await advance(89_000);
  assert.equal(
    faultLines().map((line) => line.kind),
    ['gateway-offline'],
  );
});

test.run();
