// Fault records: a device or gateway condition that dispatch and operators must see
// (tamper, mains lost, silent device, gateway offline...). At most one open fault per
// kind and subject, so a fault reported on every heartbeat is one record, not thousands.
import type { Database } from 'better-sqlite3';
import { Statements } from './statements';

export interface FaultSubject {
  readonly deviceId?: string;
  readonly gatewayId?: string;
}

export interface Fault {
  readonly id: number;
  readonly kind: string;
  readonly deviceId: string | null;
  readonly gatewayId: string | null;
  readonly openedAt: number;
  readonly clearedAt: number | null;
  readonly detail: string | null;
}

interface FaultRow {
  id: number;
  kind: string;
  device_id: string | null;
  gateway_id: string | null;
  opened_at: number;
  cleared_at: number | null;
  detail: string | null;
}

function toFault(row: FaultRow): Fault {
  return {
    id: row.id,
    kind: row.kind,
    deviceId: row.device_id,
    gatewayId: row.gateway_id,
    openedAt: row.opened_at,
    clearedAt: row.cleared_at,
    detail: row.detail,
  };
}

export class FaultStore {
  private readonly sql: Statements;

  constructor(db: Database) {
    this.sql = new Statements(db);
  }

  findOpen(kind: string, subject: FaultSubject): Fault | undefined {
    const row = this.sql
      .get(
        `SELECT * FROM faults WHERE kind = ? AND device_id IS ? AND gateway_id IS ?
           AND cleared_at IS NULL`,
      )
      .get(kind, subject.deviceId ?? null, subject.gatewayId ?? null) as
      FaultRow | undefined;
    return row === undefined ? undefined : toFault(row);
  }

  /** Opens the fault unless the same one is already open; `opened` says which. */
  open(
    kind: string,
    subject: FaultSubject,
    at: number,
    detail: string | null,
  ): { fault: Fault; opened: boolean } {
    const existing = this.findOpen(kind, subject);
    if (existing !== undefined) return { fault: existing, opened: false };
    const info = this.sql
      .get(
        `INSERT INTO faults (kind, device_id, gateway_id, opened_at, detail)
         VALUES (?, ?, ?, ?, ?)`,
      )
      .run(kind, subject.deviceId ?? null, subject.gatewayId ?? null, at, detail);
    return { fault: this.require(Number(info.lastInsertRowid)), opened: true };
  }

  /** Clears the open fault of that kind and subject; undefined when none was open. */
  clear(kind: string, subject: FaultSubject, at: number): Fault | undefined {
    const existing = this.findOpen(kind, subject);
    if (existing === undefined) return undefined;
    this.sql.get('UPDATE faults SET cleared_at = ? WHERE id = ?').run(at, existing.id);
    return this.require(existing.id);
  }

  listOpen(): Fault[] {
    const rows = this.sql
      .get('SELECT * FROM faults WHERE cleared_at IS NULL ORDER BY id')
      .all() as FaultRow[];
    return rows.map(toFault);
  }

  private require(id: number): Fault {
    const row = this.sql.get('SELECT * FROM faults WHERE id = ?').get(id) as FaultRow;
    return toFault(row);
  }
}
