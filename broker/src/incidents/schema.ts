// Tables the ingest owns in the broker's one SQLite file: incidents and their history,
// who heard each alarm, device state, replay windows and faults. They arrive through the
// registry's named-migration seam, so each runs once per file, in order.

export interface Migration {
  readonly id: string;
  readonly sql: string;
}

export const incidentMigrations: readonly Migration[] = [
  {
    id: 'ingest-001-incidents',
    sql: `
      CREATE TABLE IF NOT EXISTS incidents (
        id           TEXT PRIMARY KEY,
        seq          INTEGER NOT NULL UNIQUE,
        kind         TEXT NOT NULL CHECK (kind IN ('alarm', 'test')),
        device_id    TEXT NOT NULL,
        device_kind  TEXT NOT NULL CHECK (device_kind IN ('post', 'wearable')),
        counter      INTEGER NOT NULL,
        last_counter INTEGER NOT NULL,
        state        TEXT NOT NULL,
        pressed_at   INTEGER NOT NULL,
        received_at  INTEGER NOT NULL,
        presses      INTEGER NOT NULL DEFAULT 1,
        location     TEXT,
        eta_seconds  INTEGER,
        updated_at   INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS incidents_by_device ON incidents (device_id, state);
      CREATE TABLE IF NOT EXISTS incident_events (
        incident_id TEXT NOT NULL REFERENCES incidents (id),
        state       TEXT NOT NULL,
        at          INTEGER NOT NULL,
        actor       TEXT,
        detail      TEXT
      );
      CREATE INDEX IF NOT EXISTS incident_events_by_incident
        ON incident_events (incident_id);
      CREATE TABLE IF NOT EXISTS incident_gateways (
        incident_id  TEXT NOT NULL REFERENCES incidents (id),
        gateway_id   TEXT NOT NULL,
        first_heard  INTEGER NOT NULL,
        last_heard   INTEGER NOT NULL,
        best_rssi    INTEGER,
        copies       INTEGER NOT NULL,
        PRIMARY KEY (incident_id, gateway_id)
      );`,
  },
  {
    id: 'ingest-002-devices',
    sql: `
      CREATE TABLE IF NOT EXISTS device_state (
        device_id      TEXT PRIMARY KEY,
        last_seen      INTEGER NOT NULL,
        last_counter   INTEGER NOT NULL,
        battery        INTEGER,
        mains          INTEGER,
        tamper         INTEGER,
        last_test_at   INTEGER,
        last_window    INTEGER,
        previous_key   INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE IF NOT EXISTS device_gateways (
        device_id   TEXT NOT NULL,
        gateway_id  TEXT NOT NULL,
        link        TEXT NOT NULL,
        last_heard  INTEGER NOT NULL,
        rssi        INTEGER,
        PRIMARY KEY (device_id, gateway_id)
      );
      CREATE TABLE IF NOT EXISTS replay_windows (
        device_id  TEXT PRIMARY KEY,
        state      TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS uplink_messages (
        device_id    TEXT NOT NULL,
        counter      INTEGER NOT NULL,
        tag          BLOB NOT NULL,
        received_at  INTEGER NOT NULL,
        incident_id  TEXT,
        PRIMARY KEY (device_id, counter)
      );`,
  },
  {
    id: 'ingest-003-faults',
    sql: `
      CREATE TABLE IF NOT EXISTS faults (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        kind        TEXT NOT NULL,
        device_id   TEXT,
        gateway_id  TEXT,
        opened_at   INTEGER NOT NULL,
        cleared_at  INTEGER,
        detail      TEXT
      );
      CREATE INDEX IF NOT EXISTS faults_open ON faults (kind, device_id, gateway_id)
        WHERE cleared_at IS NULL;`,
  },
  {
    // uplink_messages would otherwise grow by every heartbeat (20,000 posts a minute):
    // rows past the duplicate horizon are pruned by received_at.
    id: 'ingest-004-uplink-pruning',
    sql: `CREATE INDEX IF NOT EXISTS uplink_messages_by_time
            ON uplink_messages (received_at);`,
  },
  {
    // A post's intercom call state (CONTRACTS.md, "Post call state"). The counter of the
    // report it came from keeps a late, older heartbeat from undoing a newer state.
    id: 'ingest-005-post-call-state',
    sql: `
      ALTER TABLE device_state ADD COLUMN in_call INTEGER;
      ALTER TABLE device_state ADD COLUMN in_call_counter INTEGER;
      ALTER TABLE incidents ADD COLUMN intercom TEXT;
      ALTER TABLE incidents ADD COLUMN intercom_since INTEGER;`,
  },
];

/** The registry's seam (Registry.migrate): runs `sql` once per file, keyed by name. */
export interface MigrationSeam {
  migrate(name: string, sql: string): boolean;
}

/** Brings the ingest's tables up to date in the registry's file. */
export function applyIncidentSchema(registry: MigrationSeam): void {
  for (const migration of incidentMigrations)
    registry.migrate(migration.id, migration.sql);
}
