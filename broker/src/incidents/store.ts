// Incidents in SQLite: creation, joining copies, lifecycle moves with their times, and
// who heard the alarm. Every write here runs inside the ingest's transaction, which
// commits (synchronous=FULL) before the uplink's PUBREC goes back to the gateway.
import type { Database } from 'better-sqlite3';
import { Statements } from './statements';
import type { IncidentState } from './lifecycle';
import { isTerminal } from './lifecycle';
import type {
  AckSubject,
  Hearing,
  HeardBy,
  Incident,
  IncidentIntercom,
  IncidentKind,
  IncidentLocation,
  NewIncident,
  StateChange,
} from './types';

interface IncidentRow {
  id: string;
  kind: IncidentKind;
  device_id: string;
  device_kind: 'post' | 'wearable';
  counter: number;
  last_counter: number;
  state: IncidentState;
  pressed_at: number;
  received_at: number;
  presses: number;
  location: string | null;
  eta_seconds: number | null;
  updated_at: number;
  intercom: IncidentIntercom['state'] | null;
  intercom_since: number | null;
}

interface HeardRow {
  gateway_id: string;
  first_heard: number;
  last_heard: number;
  best_rssi: number | null;
  copies: number;
}

interface EventRow {
  state: StateChange['state'];
  at: number;
  actor: string | null;
  detail: string | null;
}

/** The intercom state a call report (@inCall) moves an incident to (recordIntercom). */
const NEXT_INTERCOM = `CASE WHEN @inCall THEN 'calling'
  WHEN intercom IN ('calling', 'ended') THEN 'ended' ELSE 'idle' END`;

export class IncidentStore {
  private readonly sql: Statements;

  constructor(db: Database) {
    this.sql = new Statements(db);
  }

  /**
   * Writes the incident and returns it as written, built from what went in rather than
   * read back: a storm creates one incident per alarm and three reads each cost more
   * than the writes (store.test.ts checks it equals a fresh read).
   */
  create(fresh: NewIncident): Incident {
    const seq = this.nextSeq();
    const id = `inc-${String(seq).padStart(6, '0')}`;
    this.sql
      .get(
        `INSERT INTO incidents (id, seq, kind, device_id, device_kind, counter,
           last_counter, state, pressed_at, received_at, location, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?, ?)`,
      )
      .run(
        id,
        seq,
        fresh.kind,
        fresh.deviceId,
        fresh.deviceKind,
        fresh.counter,
        fresh.counter,
        fresh.pressedAt,
        fresh.receivedAt,
        fresh.location === null ? null : JSON.stringify(fresh.location),
        fresh.receivedAt,
      );
    const actor = `device:${fresh.deviceId}`;
    this.addEvent(id, 'new', fresh.receivedAt, actor, null);
    return {
      id,
      kind: fresh.kind,
      deviceId: fresh.deviceId,
      deviceKind: fresh.deviceKind,
      counter: fresh.counter,
      lastCounter: fresh.counter,
      state: 'new',
      pressedAt: fresh.pressedAt,
      receivedAt: fresh.receivedAt,
      presses: 1,
      location: fresh.location === null ? null : { ...fresh.location },
      etaSeconds: null,
      updatedAt: fresh.receivedAt,
      history: [{ state: 'new', at: fresh.receivedAt, actor, detail: null }],
      heardBy: [],
      intercom: null,
    };
  }

  /** The incident still open for this device and kind, if any. */
  openFor(deviceId: string, kind: IncidentKind): Incident | undefined {
    const row = this.sql
      .get(
        `SELECT id FROM incidents WHERE device_id = ? AND kind = ?
           AND state NOT IN ('closed', 'false-alarm') ORDER BY seq DESC LIMIT 1`,
      )
      .get(deviceId, kind) as { id: string } | undefined;
    return row === undefined ? undefined : this.get(row.id);
  }

  get(id: string): Incident | undefined {
    const row = this.sql.get('SELECT * FROM incidents WHERE id = ?').get(id) as
      IncidentRow | undefined;
    return row === undefined ? undefined : this.hydrate(row);
  }

  require(id: string): Incident {
    const incident = this.get(id);
    if (incident === undefined)
      throw new Error(`incident ${id} vanished mid-transaction`);
    return incident;
  }

  listOpen(): Incident[] {
    const rows = this.sql
      .get(
        `SELECT * FROM incidents WHERE state NOT IN ('closed', 'false-alarm') ORDER BY seq`,
      )
      .all() as IncidentRow[];
    return rows.map((row) => this.hydrate(row));
  }

  /**
   * Incidents this gateway heard that are open, or finished at or after `finishedSince`
   * (a finished incident's last update is its close).
   */
  listHeardBy(gatewayId: string, finishedSince: number): Incident[] {
    const rows = this.sql
      .get(
        `SELECT i.* FROM incidents i JOIN incident_gateways g ON g.incident_id = i.id
          WHERE g.gateway_id = ?
            AND (i.state NOT IN ('closed', 'false-alarm') OR i.updated_at >= ?)
          ORDER BY i.seq`,
      )
      .all(gatewayId, finishedSince) as IncidentRow[];
    return rows.map((row) => this.hydrate(row));
  }

  /**
   * Adds one gateway's copies of the alarm: earliest first, latest last, best RSSI.
   * Returns that gateway's row as it now stands (see withHearing).
   */
  recordHearing(incidentId: string, hearing: Hearing): HeardBy {
    const row = this.sql
      .get(
        `INSERT INTO incident_gateways
           (incident_id, gateway_id, first_heard, last_heard, best_rssi, copies)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (incident_id, gateway_id) DO UPDATE SET
           first_heard = min(first_heard, excluded.first_heard),
           last_heard = max(last_heard, excluded.last_heard),
           best_rssi = CASE
             WHEN best_rssi IS NULL THEN excluded.best_rssi
             WHEN excluded.best_rssi IS NULL THEN best_rssi
             ELSE max(best_rssi, excluded.best_rssi) END,
           copies = copies + excluded.copies
         RETURNING gateway_id, first_heard, last_heard, best_rssi, copies`,
      )
      .get(
        incidentId,
        hearing.gatewayId,
        hearing.firstHeard,
        hearing.lastHeard,
        hearing.rssi,
        hearing.copies,
      ) as HeardRow;
    return heardByOf(row);
  }

  /** What the device's ack needs of an incident, in one read (acks.ts). */
  ackSubject(id: string): AckSubject | undefined {
    const row = this.sql
      .get(
        `SELECT id, device_id, last_counter, state, eta_seconds FROM incidents
           WHERE id = ?`,
      )
      .get(id) as
      | Pick<IncidentRow, 'id' | 'device_id' | 'last_counter' | 'state' | 'eta_seconds'>
      | undefined;
    if (row === undefined) return undefined;
    return {
      id: row.id,
      deviceId: row.device_id,
      lastCounter: row.last_counter,
      state: row.state,
      etaSeconds: row.eta_seconds,
    };
  }

  /** A new press of the same device while its incident is open (see ingest README). */
  recordPress(incidentId: string, at: number, counter: number): void {
    this.sql
      .get(
        `UPDATE incidents SET presses = presses + 1, updated_at = ?,
           last_counter = max(last_counter, ?) WHERE id = ?`,
      )
      .run(at, counter, incidentId);
    this.addEvent(incidentId, 're-pressed', at, null, `counter ${counter}`);
  }

  recordDeviceCancel(incidentId: string, at: number): void {
    this.sql.get('UPDATE incidents SET updated_at = ? WHERE id = ?').run(at, incidentId);
    this.addEvent(incidentId, 'device-cancel', at, null, null);
  }

  /**
   * Carries a post's call state to its open incidents (alarm and test alike) and returns
   * the ids of those whose intercom state changed: a heartbeat that repeats the state
   * changes nothing, so it causes no feed traffic. A call that stops becomes `ended`
   * only if the incident saw it; a post that never called during it stays `idle`.
   */
  recordIntercom(deviceId: string, inCall: boolean, at: number): string[] {
    const rows = this.sql
      .get(
        `UPDATE incidents SET intercom = ${NEXT_INTERCOM}, intercom_since = @at,
           updated_at = @at
         WHERE device_id = @deviceId AND state NOT IN ('closed', 'false-alarm')
           AND intercom IS NOT ${NEXT_INTERCOM}
         RETURNING id`,
      )
      .all({ inCall: inCall ? 1 : 0, at, deviceId }) as { id: string }[];
    return rows.map((row) => row.id);
  }

  setLocation(incidentId: string, location: IncidentLocation | null, at: number): void {
    this.sql
      .get('UPDATE incidents SET location = ?, updated_at = ? WHERE id = ?')
      .run(location === null ? null : JSON.stringify(location), at, incidentId);
  }

  /** Moves the state; the caller has judged the transition (lifecycle.ts). */
  moveTo(
    incidentId: string,
    state: IncidentState,
    at: number,
    actor: string,
    etaSeconds?: number,
  ): void {
    this.sql
      .get(
        `UPDATE incidents SET state = ?, updated_at = ?,
           eta_seconds = coalesce(?, eta_seconds) WHERE id = ?`,
      )
      .run(state, at, etaSeconds ?? null, incidentId);
    const detail = etaSeconds === undefined ? null : `eta ${etaSeconds}s`;
    this.addEvent(incidentId, state, at, actor, detail);
  }

  isOpen(incident: Incident): boolean {
    return !isTerminal(incident.state);
  }

  private nextSeq(): number {
    const row = this.sql.get('SELECT max(seq) AS top FROM incidents').get() as {
      top: number | null;
    };
    return (row.top ?? 0) + 1;
  }

  private addEvent(
    incidentId: string,
    state: StateChange['state'],
    at: number,
    actor: string | null,
    detail: string | null,
  ): void {
    this.sql
      .get(
        `INSERT INTO incident_events (incident_id, state, at, actor, detail)
         VALUES (?, ?, ?, ?, ?)`,
      )
      .run(incidentId, state, at, actor, detail);
  }

  private hydrate(row: IncidentRow): Incident {
    const history = this.sql
      .get(
        `SELECT state, at, actor, detail FROM incident_events
           WHERE incident_id = ? ORDER BY rowid`,
      )
      .all(row.id) as EventRow[];
    const heard = this.sql
      .get(
        `SELECT gateway_id, first_heard, last_heard, best_rssi, copies
           FROM incident_gateways WHERE incident_id = ? ORDER BY first_heard, gateway_id`,
      )
      .all(row.id) as HeardRow[];
    return {
      id: row.id,
      kind: row.kind,
      deviceId: row.device_id,
      deviceKind: row.device_kind,
      counter: row.counter,
      lastCounter: row.last_counter,
      state: row.state,
      pressedAt: row.pressed_at,
      receivedAt: row.received_at,
      presses: row.presses,
      location:
        row.location === null ? null : (JSON.parse(row.location) as IncidentLocation),
      etaSeconds: row.eta_seconds,
      updatedAt: row.updated_at,
      history: history.map((event) => ({ ...event })),
      heardBy: heard.map(heardByOf),
      intercom:
        row.intercom === null || row.intercom_since === null
          ? null
          : { state: row.intercom, since: row.intercom_since },
    };
  }
}

function heardByOf(row: HeardRow): HeardBy {
  return {
    gatewayId: row.gateway_id,
    firstHeard: row.first_heard,
    lastHeard: row.last_heard,
    bestRssi: row.best_rssi,
    copies: row.copies,
  };
}

/**
 * The incident with one gateway's row (from recordHearing) in place of its old one, in
 * the order hydrate reads them (first heard, then gateway id), so that the ingest need
 * not read back an incident it has just written to.
 */
export function withHearing(incident: Incident, heard: HeardBy): Incident {
  const others = incident.heardBy.filter((entry) => entry.gatewayId !== heard.gatewayId);
  const heardBy = [...others, heard].sort(
    (a, b) =>
      a.firstHeard - b.firstHeard ||
      (a.gatewayId < b.gatewayId ? -1 : a.gatewayId > b.gatewayId ? 1 : 0),
  );
  return { ...incident, heardBy };
}
