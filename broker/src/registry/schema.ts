// The registry's own schema, upgraded in place by SQLite's user_version number, and the
// named-migration seam through which other broker parts (ingest, incidents) add tables.
import type Database from 'better-sqlite3';

// Index i upgrades a file at user_version i to i + 1. Append only: never edit a step
// that has shipped, since files in the field are already past it.
const steps: readonly string[] = [
  `CREATE TABLE devices (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL CHECK (kind IN ('post', 'wearable')),
     key BLOB NOT NULL,
     previous_key BLOB,
     previous_key_expires_at INTEGER,
     lat REAL,
     lon REAL,
     label TEXT,
     policy TEXT CHECK (policy IN ('precise', 'area', 'none')),
     retired INTEGER NOT NULL DEFAULT 0,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE TABLE gateways (
     id TEXT PRIMARY KEY,
     secret_hash BLOB NOT NULL,
     secret_salt BLOB NOT NULL,
     scrypt_n INTEGER NOT NULL,
     scrypt_r INTEGER NOT NULL,
     scrypt_p INTEGER NOT NULL,
     lat REAL NOT NULL,
     lon REAL NOT NULL,
     label TEXT,
     retired INTEGER NOT NULL DEFAULT 0,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE TABLE dispatchers (
     name TEXT PRIMARY KEY,
     secret_hash BLOB NOT NULL,
     secret_salt BLOB NOT NULL,
     scrypt_n INTEGER NOT NULL,
     scrypt_r INTEGER NOT NULL,
     scrypt_p INTEGER NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE named_migrations (
     name TEXT PRIMARY KEY,
     applied_at INTEGER NOT NULL
   );`,
];

export const SCHEMA_VERSION = steps.length;

export function upgradeSchema(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `registry file is at schema ${current}, newer than this broker's ${SCHEMA_VERSION}`,
    );
  }
  for (let version = current; version < SCHEMA_VERSION; version += 1) {
    db.transaction(() => {
      db.exec(steps[version]);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

/** Runs `sql` once per file, remembered by `name`; returns true when it ran now. */
export function applyNamedMigration(db: Database.Database, name: string, sql: string) {
  const seen = db.prepare('SELECT 1 FROM named_migrations WHERE name = ?').get(name);
  if (seen !== undefined) return false;
  db.transaction(() => {
    db.exec(sql);
    db.prepare('INSERT INTO named_migrations (name, applied_at) VALUES (?, ?)').run(
      name,
      Date.now(),
    );
  })();
  return true;
}
