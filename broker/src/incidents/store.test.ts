import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openRegistry } from '../registry/index';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyIncidentSchema } from './schema';
import { IncidentStore, withHearing } from './store';
import { DeviceStore } from './devices';
import { FaultStore } from './faults';
import { judgeTransition } from './lifecycle';

const dirs: string[] = [];

function openDb(dir = mkdtempSync(join(tmpdir(), 'urgence-incidents-'))) {
  dirs.push(dir);
  const registry = openRegistry(join(dir, 'broker.db'));
  applyIncidentSchema(registry);
  return { db: registry.db, dir };
}

const alarm = {
  kind: 'alarm' as const,
  deviceId: '0000002a',
  deviceKind: 'post' as const,
  counter: 7,
  pressedAt: 1_000,
  receivedAt: 1_200,
  location: { lat: 48.85, lon: 2.35, radiusM: 0, source: 'installed' as const },
};

test.after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test('a new incident starts in state new with its creation in the history', () => {
  const { db } = openDb();
  const incident = new IncidentStore(db).create(alarm);
  assert.is(incident.state, 'new');
  assert.is(incident.id, 'inc-000001');
  assert.equal(
    incident.history.map((h) => h.state),
    ['new'],
  );
  assert.equal(incident.location, alarm.location);
  db.close();
});

test('the incident create() returns is the one a later read gives', () => {
  const { db } = openDb();
  const store = new IncidentStore(db);
  const labelled = { ...alarm, location: { ...alarm.location, label: 'Place' } };
  for (const fresh of [
    alarm,
    labelled,
    { ...alarm, kind: 'test' as const, location: null },
  ]) {
    const created = store.create(fresh);
    assert.equal(created, store.require(created.id));
  }
  db.close();
});

test('withHearing of what recordHearing returns equals a read, in the read order', () => {
  const { db } = openDb();
  const store = new IncidentStore(db);
  let incident = store.create(alarm);
  const hearings = [
    { gatewayId: 'gw-b', firstHeard: 300, lastHeard: 300, rssi: null, copies: 1 },
    { gatewayId: 'gw-a', firstHeard: 300, lastHeard: 310, rssi: -90, copies: 2 },
    { gatewayId: 'gw-c', firstHeard: 100, lastHeard: 150, rssi: -70, copies: 1 },
    // gw-b again, heard earlier with a signal: it moves ahead and takes the rssi.
    { gatewayId: 'gw-b', firstHeard: 50, lastHeard: 400, rssi: -60, copies: 3 },
    { gatewayId: 'gw-a', firstHeard: 320, lastHeard: 305, rssi: null, copies: 1 },
  ];
  for (const hearing of hearings) {
    incident = withHearing(incident, store.recordHearing(incident.id, hearing));
    assert.equal(incident, store.require(incident.id));
  }
  assert.equal(
    incident.heardBy.map((heard) => [heard.gatewayId, heard.bestRssi, heard.copies]),
    [
      ['gw-b', -60, 4],
      ['gw-c', -70, 1],
      ['gw-a', -90, 3],
    ],
  );
  db.close();
});

test('ackSubject reads the fields of an ack as they stand', () => {
  const { db } = openDb();
  const store = new IncidentStore(db);
  const { id } = store.create(alarm);
  store.recordPress(id, 1_300, 9);
  store.moveTo(id, 'dispatched', 1_400, 'dispatch:test', 240);
  assert.equal(store.ackSubject(id), {
    id,
    deviceId: alarm.deviceId,
    lastCounter: 9,
    state: 'dispatched',
    etaSeconds: 240,
  });
  assert.is(store.ackSubject('inc-999999'), undefined);
  db.close();
});

test('hearings from one gateway merge: earliest first, latest last, best rssi, copies add', () => {
  const { db } = openDb();
  const store = new IncidentStore(db);
  const { id } = store.create(alarm);
  store.recordHearing(id, {
    gatewayId: 'gw-1',
    firstHeard: 100,
    lastHeard: 200,
    rssi: -80,
    copies: 2,
  });
  store.recordHearing(id, {
    gatewayId: 'gw-1',
    firstHeard: 50,
    lastHeard: 150,
    rssi: -60,
    copies: 3,
  });
  assert.equal(store.require(id).heardBy, [
    { gatewayId: 'gw-1', firstHeard: 50, lastHeard: 200, bestRssi: -60, copies: 5 },
  ]);
  db.close();
});

test('a closed incident is no longer the open one for its device', () => {
  const { db } = openDb();
  const store = new IncidentStore(db);
  const { id } = store.create(alarm);
  assert.is(store.openFor(alarm.deviceId, 'alarm')?.id, id);
  store.moveTo(id, 'closed', 5_000, 'dispatch:police');
  assert.is(store.openFor(alarm.deviceId, 'alarm'), undefined);
  db.close();
});

test('incidents, device state and replay state survive closing and reopening the file', () => {
  const { db, dir } = openDb();
  const { id } = new IncidentStore(db).create(alarm);
  new DeviceStore(db).saveReplayState('0000002a', '{"top":7}');
  db.close();
  const again = openDb(dir).db;
  assert.is(new IncidentStore(again).get(id)?.counter, 7);
  assert.is(new DeviceStore(again).loadReplayState('0000002a'), '{"top":7}');
  again.close();
});

test('device state keeps fields a later message does not mention', () => {
  const { db } = openDb();
  const devices = new DeviceStore(db);
  devices.touch('0000002a', 10, 1, { battery: 80, mains: true });
  devices.touch('0000002a', 20, 2, { tamper: true });
  const state = devices.get('0000002a');
  assert.is(state?.battery, 80);
  assert.is(state?.mains, true);
  assert.is(state?.tamper, true);
  assert.is(state?.lastSeen, 20);
  db.close();
});

test('the same fault opened twice is one record until it clears', () => {
  const { db } = openDb();
  const faults = new FaultStore(db);
  const first = faults.open('tamper', { deviceId: '0000002a' }, 10, null);
  const second = faults.open('tamper', { deviceId: '0000002a' }, 20, null);
  assert.ok(first.opened);
  assert.not.ok(second.opened);
  assert.is(second.fault.id, first.fault.id);
  assert.is(faults.clear('tamper', { deviceId: '0000002a' }, 30)?.clearedAt, 30);
  assert.ok(faults.open('tamper', { deviceId: '0000002a' }, 40, null).opened);
  db.close();
});

test('recorded messages past the horizon are pruned, unless their incident is open', () => {
  const { db } = openDb();
  const incidents = new IncidentStore(db);
  const devices = new DeviceStore(db);
  const open = incidents.create(alarm);
  devices.recordMessage('0000002a', 1, new Uint8Array(8), 100, null);
  devices.recordMessage('0000002a', 7, new Uint8Array(8), 100, open.id);
  devices.recordMessage('0000002a', 9, new Uint8Array(8), 900, null);
  assert.is(devices.pruneMessages(500), 1);
  assert.is(devices.findMessage('0000002a', 1), undefined);
  assert.ok(devices.findMessage('0000002a', 7) !== undefined);
  assert.ok(devices.findMessage('0000002a', 9) !== undefined);
  db.close();
});

test('the lifecycle moves forward, repeats quietly, and never reopens', () => {
  assert.equal(judgeTransition('new', 'dispatched'), { kind: 'move' });
  assert.equal(judgeTransition('dispatched', 'dispatched'), { kind: 'repeat' });
  assert.equal(judgeTransition('on-scene', 'acknowledged'), {
    kind: 'refused',
    reason: 'backwards',
  });
  assert.equal(judgeTransition('closed', 'acknowledged'), {
    kind: 'refused',
    reason: 'incident-finished',
  });
  assert.equal(judgeTransition('dispatched', 'false-alarm'), { kind: 'move' });
});

test.run();
