import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import sinon from 'sinon';
import { openRegistry, RegistryError } from './index';
import type { Registry } from './index';

let folder = '';
let registry: Registry;

test.before.each(() => {
  folder = mkdtempSync(join(tmpdir(), 'urgence-registry-'));
  registry = openRegistry(join(folder, 'data', 'registry.sqlite'));
});

test.after.each(() => {
  registry.close();
  rmSync(folder, { recursive: true, force: true });
});

const key = () => new Uint8Array(randomBytes(32));
const paris = { lat: 48.8566, lon: 2.3522, label: 'Hôtel de Ville' };

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return error instanceof RegistryError ? error.code : 'not-a-registry-error';
  }
  return undefined;
}

test('hot lookups prepare their statements once, not on every call', () => {
  registry.addDevice({ id: '0000002a', kind: 'post', key: key(), location: paris });
  registry.getDevice('0000002a');
  registry.validKeys('0000002a');
  registry.getGateway('gw-none');
  const prepare = sinon.spy(registry.db, 'prepare');
  try {
    for (let call = 0; call < 50; call += 1) {
      assert.ok(registry.getDevice('0000002a') !== undefined);
      assert.is(registry.validKeys('0000002a').length, 1);
      assert.is(registry.getGateway('gw-none'), undefined);
    }
    assert.is(prepare.callCount, 0);
  } finally {
    prepare.restore();
  }
});

test('a new file is created with WAL, synchronous FULL and the current schema', () => {
  assert.is(registry.db.pragma('journal_mode', { simple: true }), 'wal');
  assert.is(registry.db.pragma('synchronous', { simple: true }), 2);
  assert.ok((registry.db.pragma('user_version', { simple: true }) as number) >= 1);
});

test('a post is stored with its key and location and read back', () => {
  const postKey = key();
  registry.addDevice({ id: '0000002a', kind: 'post', key: postKey, location: paris });
  const post = registry.getDevice('0000002a');
  assert.equal(post?.key, postKey);
  assert.equal(post?.location, paris);
  assert.is(post?.kind, 'post');
  assert.is(post?.retired, false);
});

test('a device survives closing and reopening the file', () => {
  const path = registry.path;
  registry.addDevice({ id: '0000002b', kind: 'wearable', key: key(), policy: 'area' });
  registry.close();
  registry = openRegistry(path);
  assert.is(registry.getDevice('0000002b')?.policy, 'area');
});

test('adding an existing device is refused unless replace is asked', () => {
  registry.addDevice({ id: '00000001', kind: 'post', key: key() });
  assert.is(
    codeOf(() => registry.addDevice({ id: '00000001', kind: 'post', key: key() })),
    'exists',
  );
  const newKey = key();
  registry.addDevice({ id: '00000001', kind: 'post', key: newKey }, { replace: true });
  assert.equal(registry.getDevice('00000001')?.key, newKey);
});

test('bad ids, keys, kinds, policies and locations are refused with their own code', () => {
  assert.is(
    codeOf(() => registry.addDevice({ id: 'XYZ', kind: 'post', key: key() })),
    'bad-device-id',
  );
  const shortKey = new Uint8Array(16);
  assert.is(
    codeOf(() => registry.addDevice({ id: '00000002', kind: 'post', key: shortKey })),
    'bad-key',
  );
  const kind = 'lamp' as 'post';
  assert.is(
    codeOf(() => registry.addDevice({ id: '00000002', kind, key: key() })),
    'bad-device-kind',
  );
  const policy = 'exact' as 'precise';
  assert.is(
    codeOf(() =>
      registry.addDevice({ id: '00000002', kind: 'wearable', key: key(), policy }),
    ),
    'bad-policy',
  );
  const location = { lat: 91, lon: 0 };
  assert.is(
    codeOf(() =>
      registry.addDevice({ id: '00000002', kind: 'post', key: key(), location }),
    ),
    'bad-location',
  );
});

test('after a rotation both keys verify until the grace period ends', () => {
  const oldKey = key();
  const newKey = key();
  registry.addDevice({ id: '00000003', kind: 'post', key: oldKey });
  registry.rotateKey('00000003', newKey, { graceMs: 60_000 });
  const now = Date.now();
  assert.equal(registry.validKeys('00000003', now), [newKey, oldKey]);
  assert.equal(registry.validKeys('00000003', now + 61_000), [newKey]);
});

test('a retired device has no valid key but keeps its record', () => {
  registry.addDevice({ id: '00000004', kind: 'post', key: key() });
  registry.retireDevice('00000004');
  assert.equal(registry.validKeys('00000004'), []);
  assert.is(registry.getDevice('00000004')?.retired, true);
  assert.equal(registry.listDevices(), []);
  assert.is(registry.listDevices({ includeRetired: true }).length, 1);
});

test('keysOf a record read gives the keys validKeys gives, before and after retiring', () => {
  const oldKey = key();
  const newKey = key();
  registry.addDevice({ id: '00000005', kind: 'post', key: oldKey });
  registry.rotateKey('00000005', newKey, { graceMs: 60_000 });
  const now = Date.now();
  const read = registry.getDevice('00000005');
  assert.ok(read);
  assert.equal(registry.keysOf(read, now), [newKey, oldKey]);
  assert.equal(registry.keysOf(read, now + 61_000), [newKey]);
  registry.retireDevice('00000005');
  const retired = registry.getDevice('00000005');
  assert.ok(retired);
  assert.equal(registry.keysOf(retired, now), []);
});

test('rotating or retiring an unknown device says not-found', () => {
  assert.is(
    codeOf(() => registry.rotateKey('0000ffff', key())),
    'not-found',
  );
  assert.is(
    codeOf(() => registry.retireDevice('0000ffff')),
    'not-found',
  );
});

test('a gateway secret is stored as a salted scrypt hash, never in clear', () => {
  const secret = 'correct horse battery staple';
  registry.addGateway({ id: 'gw-001', secret, location: paris });
  const raw = new Database(registry.path, { readonly: true });
  const row = raw.prepare('SELECT * FROM gateways WHERE id = ?').get('gw-001') as Record<
    string,
    unknown
  >;
  raw.close();
  assert.not.ok(JSON.stringify(row).includes(secret));
  assert.is((row.secret_hash as Buffer).length, 32);
  assert.is(row.scrypt_n, 16384);
});

test('a gateway verifies with its secret and not with another', async () => {
  registry.addGateway({ id: 'gw-001', secret: 'secret-of-gateway-1', location: paris });
  assert.is(await registry.verifyGateway('gw-001', 'secret-of-gateway-1'), true);
  assert.is(await registry.verifyGateway('gw-001', 'secret-of-gateway-2'), false);
});

test('an unknown or removed gateway does not verify', async () => {
  assert.is(await registry.verifyGateway('gw-404', 'secret-of-gateway-1'), false);
  registry.addGateway({ id: 'gw-002', secret: 'secret-of-gateway-2', location: paris });
  registry.removeGateway('gw-002');
  assert.is(await registry.verifyGateway('gw-002', 'secret-of-gateway-2'), false);
  assert.equal(registry.listGateways(), []);
});

test('bad gateway ids and short secrets are refused', () => {
  const add = (id: string, secret: string) => () =>
    registry.addGateway({ id, secret, location: paris });
  assert.is(codeOf(add('GW_1', 'long-enough-secret')), 'bad-gateway-id');
  assert.is(codeOf(add('gw-1', 'short')), 'bad-secret');
});

test('a dispatcher verifies with its own secret', async () => {
  registry.addDispatcher({ name: 'prefecture', secret: 'dispatch-secret-123' });
  assert.is(await registry.verifyDispatcher('prefecture', 'dispatch-secret-123'), true);
  assert.is(await registry.verifyDispatcher('prefecture', 'dispatch-secret-xyz'), false);
  assert.is(await registry.verifyDispatcher('nobody', 'dispatch-secret-123'), false);
  assert.equal(registry.listDispatchers(), ['prefecture']);
});

test('a named migration runs once per file', () => {
  const sql = 'CREATE TABLE incidents_test (id TEXT PRIMARY KEY)';
  assert.is(registry.migrate('ingest-001', sql), true);
  assert.is(registry.migrate('ingest-001', sql), false);
  registry.db.prepare('INSERT INTO incidents_test VALUES (?)').run('i1');
});

test('a failing named migration leaves nothing behind and can be retried', () => {
  const broken = 'CREATE TABLE half_done (id TEXT); CREATE TABLE oops (';
  assert.throws(() => registry.migrate('ingest-002', broken));
  const table = registry.db
    .prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'")
    .get();
  assert.is(table, undefined);
  assert.is(registry.migrate('ingest-002', 'CREATE TABLE half_done (id TEXT)'), true);
});

test('a file from a newer broker is refused', () => {
  const path = registry.path;
  registry.db.pragma('user_version = 999');
  registry.close();
  assert.throws(() => openRegistry(path), /newer than this broker/);
  registry = openRegistry(':memory:');
});

test.run();
