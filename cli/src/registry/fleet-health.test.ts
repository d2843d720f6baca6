import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openRegistry, type Registry } from '@urgence/broker';
import { fleetHealth } from './fleet-health';

// The columns status reads from the ingest's tables (broker/src/incidents/schema.ts,
// migrations ingest-002 and ingest-003), created here as the broker would on first run.
const ingestTables = `
  CREATE TABLE IF NOT EXISTS device_state (device_id TEXT PRIMARY KEY, last_seen INTEGER
    NOT NULL, last_counter INTEGER NOT NULL, battery INTEGER, mains INTEGER, tamper INTEGER,
    last_test_at INTEGER, last_window INTEGER, previous_key INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE IF NOT EXISTS faults (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT
    NULL, device_id TEXT, gateway_id TEXT, opened_at INTEGER NOT NULL, cleared_at INTEGER,
    detail TEXT);`;

const now = Date.UTC(2026, 11, 3, 12);
const key = new Uint8Array(32).fill(7);

async function withRegistry(body: (registry: Registry) => void): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'urgence-status-'));
  const registry = openRegistry(join(directory, 'registry.sqlite'));
  try {
    body(registry);
  } finally {
    registry.close();
    await rm(directory, { recursive: true, force: true });
  }
}

interface StatePatch {
  battery?: number;
  mains?: number;
  tamper?: number;
}

function seen(registry: Registry, id: string, agoMs: number, patch: StatePatch = {}) {
  registry.db
    .prepare(
      `INSERT INTO device_state (device_id, last_seen, last_counter, battery, mains, tamper)
       VALUES (?, ?, 1, ?, ?, ?)`,
    )
    .run(
      id,
      now - agoMs,
      patch.battery ?? null,
      patch.mains ?? null,
      patch.tamper ?? null,
    );
}

test('a file the broker never ran on lists devices without judging them', async () => {
  await withRegistry((registry) => {
    registry.addDevice({ id: '00000001', kind: 'post', key });
    const health = fleetHealth(registry, now);
    assert.is(health.ingestData, false);
    assert.equal(health.devices[0]?.problems, []);
  });
});

test('a post unheard for three heartbeats is silent, a wearable after a day', async () => {
  await withRegistry((registry) => {
    registry.migrate('test-ingest-tables', ingestTables);
    registry.addDevice({ id: '00000001', kind: 'post', key });
    registry.addDevice({ id: '00000002', kind: 'post', key });
    registry.addDevice({ id: '00000003', kind: 'wearable', key });
    registry.addDevice({ id: '00000004', kind: 'wearable', key });
    seen(registry, '00000001', 60_000);
    seen(registry, '00000002', 4 * 60_000);
    seen(registry, '00000003', 20 * 3600_000);
    seen(registry, '00000004', 25 * 3600_000);
    const problems = fleetHealth(registry, now).devices.map((d) => d.problems.join());
    assert.equal(problems, ['', 'silent', '', 'silent']);
  });
});

test('low battery, mains loss and tamper are named; a never-heard device too', async () => {
  await withRegistry((registry) => {
    registry.migrate('test-ingest-tables', ingestTables);
    registry.addDevice({ id: '00000001', kind: 'post', key });
    registry.addDevice({ id: '00000002', kind: 'post', key });
    registry.addDevice({ id: '00000003', kind: 'post', key });
    seen(registry, '00000001', 1000, { battery: 12 });
    seen(registry, '00000002', 1000, { mains: 0, tamper: 1 });
    const problems = fleetHealth(registry, now).devices.map((d) => d.problems.join());
    assert.equal(problems, ['low battery', 'on battery,tamper', 'never heard']);
  });
});

test('only faults not yet cleared are reported', async () => {
  await withRegistry((registry) => {
    registry.migrate('test-ingest-tables', ingestTables);
    registry.db.exec(`INSERT INTO faults (kind, gateway_id, opened_at, cleared_at)
      VALUES ('gateway-offline', 'gw-001', ${now - 5000}, NULL),
             ('gateway-offline', 'gw-002', ${now - 9000}, ${now - 1000})`);
    const faults = fleetHealth(registry, now).openFaults;
    assert.equal(
      faults.map((f) => f.gatewayId),
      ['gw-001'],
    );
  });
});

test.run();
