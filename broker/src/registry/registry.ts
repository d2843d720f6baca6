// The broker's registry: devices with their keys, gateways with hashed secrets, dispatch
// accounts. One SQLite file (WAL, synchronous=FULL), shared with the ingest's own tables,
// which arrive through `migrate()`. Used by the broker, the CLI and the test rigs.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { hashSecret, verifySecret } from './secrets';
import { applyNamedMigration, upgradeSchema } from './schema';
import { RegistryError } from './types';
import type { DeviceRecord, GatewayRecord, NewDevice, NewGateway } from './types';
import { deviceFromRow, gatewayFromRow, secretFromRow } from './rows';
import type { DeviceRow, GatewayRow, SecretRow } from './rows';
import * as check from './validate';

// Long enough for a technician to rewrite the device after the registry took the new
// key, short enough that a leaked key stops working the next day.
export const DEFAULT_ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

export class Registry {
  /** The open database, for parts that keep their own tables in the same file. */
  readonly db: Database.Database;
  /**
   * Statements kept per SQL text: the ingest calls getDevice and validKeys for every
   * uplink, and preparing each time cost about a fifth of its CPU in a profile.
   */
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // FULL: a commit is on disk before it returns, which the durability receipt relies on.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    // The CLI and the broker may open the file together; wait for the other's write.
    this.db.pragma('busy_timeout = 5000');
    upgradeSchema(this.db);
  }

  /** Runs `sql` once for this file, remembered by `name` (e.g. 'ingest-001-incidents'). */
  migrate(name: string, sql: string): boolean {
    return applyNamedMigration(this.db, name, sql);
  }

  addDevice(device: NewDevice, options: { replace?: boolean } = {}): DeviceRecord {
    check.checkDeviceId(device.id);
    check.checkDeviceKind(device.kind);
    check.checkKey(device.key);
    if (device.location !== undefined) check.checkLocation(device.location);
    if (device.policy !== undefined) check.checkPolicy(device.policy);
    const now = Date.now();
    const row = {
      id: device.id,
      kind: device.kind,
      key: Buffer.from(device.key),
      lat: device.location?.lat ?? null,
      lon: device.location?.lon ?? null,
      label: device.location?.label ?? null,
      policy: device.policy ?? null,
      now,
    };
    const exists = this.prepared('SELECT 1 FROM devices WHERE id = ?').get(device.id);
    if (exists !== undefined && options.replace !== true) {
      throw new RegistryError('exists', `device ${device.id} is already registered`);
    }
    this.prepared(
      `INSERT INTO devices (id, kind, key, lat, lon, label, policy, retired,
                              created_at, updated_at)
         VALUES (@id, @kind, @key, @lat, @lon, @label, @policy, 0, @now, @now)
         ON CONFLICT (id) DO UPDATE SET kind = @kind, key = @key, previous_key = NULL,
           previous_key_expires_at = NULL, lat = @lat, lon = @lon, label = @label,
           policy = @policy, retired = 0, updated_at = @now`,
    ).run(row);
    return this.requireDevice(device.id);
  }

  getDevice(id: string): DeviceRecord | undefined {
    const row = this.prepared('SELECT * FROM devices WHERE id = ?').get(id) as
      DeviceRow | undefined;
    return row === undefined ? undefined : deviceFromRow(row);
  }

  listDevices(options: { includeRetired?: boolean } = {}): DeviceRecord[] {
    const sql =
      options.includeRetired === true
        ? 'SELECT * FROM devices ORDER BY id'
        : 'SELECT * FROM devices WHERE retired = 0 ORDER BY id';
    return (this.prepared(sql).all() as DeviceRow[]).map(deviceFromRow);
  }

  /** Keys that verify this device's messages at `now`: current first, then the grace one. */
  validKeys(id: string, now = Date.now()): Uint8Array[] {
    const device = this.getDevice(id);
    return device === undefined ? [] : this.keysOf(device, now);
  }

  /**
   * validKeys for a record already read (the ingest reads the device once per uplink
   * and verifies with what it read, rather than reading the same row twice).
   */
  keysOf(device: DeviceRecord, now = Date.now()): Uint8Array[] {
    if (device.retired) return [];
    const keys = [device.key];
    if (device.previousKey !== undefined && device.previousKey.expiresAt > now) {
      keys.push(device.previousKey.key);
    }
    return keys;
  }

  /**
   * Gives the device a new key; the old one keeps verifying for `graceMs`, so the CLI
   * should rotate here first and rewrite the device second.
   */
  rotateKey(id: string, newKey: Uint8Array, options: { graceMs?: number } = {}) {
    check.checkKey(newKey);
    const device = this.requireDevice(id);
    const now = Date.now();
    this.prepared(
      `UPDATE devices SET previous_key = key, previous_key_expires_at = ?, key = ?,
           updated_at = ? WHERE id = ?`,
    ).run(
      now + (options.graceMs ?? DEFAULT_ROTATION_GRACE_MS),
      Buffer.from(newKey),
      now,
      id,
    );
    return this.requireDevice(device.id);
  }

  /** Retires the device: its messages stop verifying; its history stays. */
  retireDevice(id: string): void {
    this.requireDevice(id);
    this.prepared(
      `UPDATE devices SET retired = 1, previous_key = NULL,
           previous_key_expires_at = NULL, updated_at = ? WHERE id = ?`,
    ).run(Date.now(), id);
  }

  addGateway(gateway: NewGateway, options: { replace?: boolean } = {}): GatewayRecord {
    check.checkGatewayId(gateway.id);
    check.checkSecret(gateway.secret);
    check.checkLocation(gateway.location);
    const exists = this.prepared('SELECT 1 FROM gateways WHERE id = ?').get(gateway.id);
    if (exists !== undefined && options.replace !== true) {
      throw new RegistryError('exists', `gateway ${gateway.id} is already registered`);
    }
    const secret = hashSecret(gateway.secret);
    const now = Date.now();
    this.prepared(
      `INSERT INTO gateways (id, secret_hash, secret_salt, scrypt_n, scrypt_r, scrypt_p,
                               lat, lon, label, retired, created_at, updated_at)
         VALUES (@id, @hash, @salt, @n, @r, @p, @lat, @lon, @label, 0, @now, @now)
         ON CONFLICT (id) DO UPDATE SET secret_hash = @hash, secret_salt = @salt,
           scrypt_n = @n, scrypt_r = @r, scrypt_p = @p, lat = @lat, lon = @lon,
           label = @label, retired = 0, updated_at = @now`,
    ).run({
      id: gateway.id,
      ...secret,
      lat: gateway.location.lat,
      lon: gateway.location.lon,
      label: gateway.location.label ?? null,
      now,
    });
    return this.requireGateway(gateway.id);
  }

  getGateway(id: string): GatewayRecord | undefined {
    const row = this.gatewayRow(id);
    return row === undefined ? undefined : gatewayFromRow(row);
  }

  listGateways(options: { includeRetired?: boolean } = {}): GatewayRecord[] {
    const sql =
      options.includeRetired === true
        ? 'SELECT * FROM gateways ORDER BY id'
        : 'SELECT * FROM gateways WHERE retired = 0 ORDER BY id';
    return (this.prepared(sql).all() as GatewayRow[]).map(gatewayFromRow);
  }

  /** True when `secret` is this active gateway's; unknown, retired or wrong cost the same. */
  async verifyGateway(id: string, secret: string): Promise<boolean> {
    const row = this.gatewayRow(id);
    const stored =
      row === undefined || row.retired !== 0 ? undefined : secretFromRow(row);
    return verifySecret(secret, stored);
  }

  /** Retires the gateway: it can no longer log in; incidents that name it keep the name. */
  removeGateway(id: string): void {
    this.requireGateway(id);
    this.prepared('UPDATE gateways SET retired = 1, updated_at = ? WHERE id = ?').run(
      Date.now(),
      id,
    );
  }

  addDispatcher(
    account: { name: string; secret: string },
    options: { replace?: boolean } = {},
  ) {
    check.checkDispatcherName(account.name);
    check.checkSecret(account.secret);
    const exists = this.prepared('SELECT 1 FROM dispatchers WHERE name = ?').get(
      account.name,
    );
    if (exists !== undefined && options.replace !== true) {
      throw new RegistryError(
        'exists',
        `dispatcher ${account.name} is already registered`,
      );
    }
    const secret = hashSecret(account.secret);
    this.prepared(
      `INSERT OR REPLACE INTO dispatchers (name, secret_hash, secret_salt, scrypt_n,
           scrypt_r, scrypt_p, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      account.name,
      secret.hash,
      secret.salt,
      secret.n,
      secret.r,
      secret.p,
      Date.now(),
    );
  }

  listDispatchers(): string[] {
    const rows = this.prepared('SELECT name FROM dispatchers ORDER BY name').all();
    return (rows as { name: string }[]).map((row) => row.name);
  }

  async verifyDispatcher(name: string, secret: string): Promise<boolean> {
    const row = this.prepared('SELECT * FROM dispatchers WHERE name = ?').get(name) as
      SecretRow | undefined;
    return verifySecret(secret, row === undefined ? undefined : secretFromRow(row));
  }

  removeDispatcher(name: string): void {
    const result = this.prepared('DELETE FROM dispatchers WHERE name = ?').run(name);
    if (result.changes === 0) {
      throw new RegistryError('not-found', `dispatcher ${name} is not registered`);
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private prepared(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private gatewayRow(id: string): GatewayRow | undefined {
    return this.prepared('SELECT * FROM gateways WHERE id = ?').get(id) as
      GatewayRow | undefined;
  }

  private requireDevice(id: string): DeviceRecord {
    const device = this.getDevice(id);
    if (device === undefined) {
      throw new RegistryError('not-found', `device ${id} is not registered`);
    }
    return device;
  }

  private requireGateway(id: string): GatewayRecord {
    const gateway = this.getGateway(id);
    if (gateway === undefined) {
      throw new RegistryError('not-found', `gateway ${id} is not registered`);
    }
    return gateway;
  }
}

/** Opens (creating on first use) the registry file at `path`. */
export function openRegistry(path: string): Registry {
  return new Registry(path);
}
