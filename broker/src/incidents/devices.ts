// What the ingest remembers about each device between messages: when it was last heard
// and by which gateways (for supervision and for routing acks down), its power and
// tamper state, a post's intercom call state, its replay window, and the messages already recorded (for dedup).
import type { Database } from 'better-sqlite3';
import { Statements } from './statements';

export interface DeviceState {
  readonly deviceId: string;
  readonly lastSeen: number;
  readonly lastCounter: number;
  readonly battery: number | null;
  readonly mains: boolean | null;
  readonly tamper: boolean | null;
  /** A post's intercom is in a call; null until a post reports it (never a wearable). */
  readonly inCall: boolean | null;
  readonly lastTestAt: number | null;
  /** Rotation window a wearable was last heard under (its acks are addressed by it). */
  readonly lastWindow: number | null;
  /** Its last message verified only with the key a rotation replaced. */
  readonly onPreviousKey: boolean;
}

export interface DeviceStatePatch {
  readonly battery?: number;
  readonly mains?: boolean;
  readonly tamper?: boolean;
  readonly testAt?: number;
  readonly window?: number;
  readonly onPreviousKey?: boolean;
}

export interface GatewayHearing {
  readonly gatewayId: string;
  readonly link: 'serial' | 'ble';
  readonly lastHeard: number;
  readonly rssi: number | null;
}

export interface RecordedMessage {
  readonly tag: Uint8Array;
  readonly receivedAt: number;
  readonly incidentId: string | null;
}

interface StateRow {
  device_id: string;
  last_seen: number;
  last_counter: number;
  battery: number | null;
  mains: number | null;
  tamper: number | null;
  last_test_at: number | null;
  last_window: number | null;
  previous_key: number;
  in_call: number | null;
}

function flag(value: number | null): boolean | null {
  return value === null ? null : value !== 0;
}

function bit(value: boolean | undefined): number | null {
  return value === undefined ? null : value ? 1 : 0;
}

export class DeviceStore {
  private readonly sql: Statements;

  constructor(db: Database) {
    this.sql = new Statements(db);
  }

  /** Marks the device heard now; fields absent from the patch keep their value. */
  touch(deviceId: string, at: number, counter: number, patch: DeviceStatePatch): void {
    this.sql
      .get(
        `INSERT INTO device_state
           (device_id, last_seen, last_counter, battery, mains, tamper, last_test_at,
            last_window, previous_key)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (device_id) DO UPDATE SET
           last_seen = max(last_seen, excluded.last_seen),
           last_counter = max(last_counter, excluded.last_counter),
           battery = coalesce(excluded.battery, battery),
           mains = coalesce(excluded.mains, mains),
           tamper = coalesce(excluded.tamper, tamper),
           last_test_at = coalesce(excluded.last_test_at, last_test_at),
           last_window = coalesce(excluded.last_window, last_window),
           previous_key = excluded.previous_key`,
      )
      .run(
        deviceId,
        at,
        counter,
        patch.battery ?? null,
        bit(patch.mains),
        bit(patch.tamper),
        patch.testAt ?? null,
        patch.window ?? null,
        patch.onPreviousKey === true ? 1 : 0,
      );
  }

  /**
   * Records a post's reported call state unless a report with a later counter is already
   * in (a gateway's outbox may deliver an older heartbeat late). Returns whether it was
   * taken, and so whether the post's open incidents should follow it. Runs after touch(),
   * which makes the row.
   */
  recordCall(deviceId: string, inCall: boolean, counter: number): boolean {
    const result = this.sql
      .get(
        `UPDATE device_state SET in_call = ?, in_call_counter = ?
           WHERE device_id = ? AND (in_call_counter IS NULL OR in_call_counter < ?)`,
      )
      .run(inCall ? 1 : 0, counter, deviceId, counter);
    return result.changes > 0;
  }

  get(deviceId: string): DeviceState | undefined {
    const row = this.sql
      .get('SELECT * FROM device_state WHERE device_id = ?')
      .get(deviceId) as StateRow | undefined;
    return row === undefined ? undefined : toState(row);
  }

  list(): DeviceState[] {
    const rows = this.sql.get('SELECT * FROM device_state').all() as StateRow[];
    return rows.map(toState);
  }

  recordGateway(deviceId: string, hearing: GatewayHearing): void {
    this.sql
      .get(
        `INSERT INTO device_gateways (device_id, gateway_id, link, last_heard, rssi)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (device_id, gateway_id) DO UPDATE SET
           link = excluded.link, last_heard = max(last_heard, excluded.last_heard),
           rssi = excluded.rssi`,
      )
      .run(deviceId, hearing.gatewayId, hearing.link, hearing.lastHeard, hearing.rssi);
  }

  /** Gateways that heard the device, most recent first. */
  gatewaysFor(deviceId: string): GatewayHearing[] {
    const rows = this.sql
      .get(
        `SELECT gateway_id, link, last_heard, rssi FROM device_gateways
           WHERE device_id = ? ORDER BY last_heard DESC, gateway_id`,
      )
      .all(deviceId) as {
      gateway_id: string;
      link: 'serial' | 'ble';
      last_heard: number;
      rssi: number | null;
    }[];
    return rows.map((row) => ({
      gatewayId: row.gateway_id,
      link: row.link,
      lastHeard: row.last_heard,
      rssi: row.rssi,
    }));
  }

  loadReplayState(deviceId: string): string | undefined {
    const row = this.sql
      .get('SELECT state FROM replay_windows WHERE device_id = ?')
      .get(deviceId) as { state: string } | undefined;
    return row?.state;
  }

  saveReplayState(deviceId: string, state: string): void {
    this.sql
      .get(
        `INSERT INTO replay_windows (device_id, state) VALUES (?, ?)
         ON CONFLICT (device_id) DO UPDATE SET state = excluded.state`,
      )
      .run(deviceId, state);
  }

  findMessage(deviceId: string, counter: number): RecordedMessage | undefined {
    const row = this.sql
      .get(
        `SELECT tag, received_at, incident_id FROM uplink_messages
           WHERE device_id = ? AND counter = ?`,
      )
      .get(deviceId, counter) as
      { tag: Buffer; received_at: number; incident_id: string | null } | undefined;
    if (row === undefined) return undefined;
    return {
      tag: new Uint8Array(row.tag),
      receivedAt: row.received_at,
      incidentId: row.incident_id,
    };
  }

  /**
   * Forgets recorded messages older than `before`, except those of incidents still open
   * (a copy of an open incident's alarm must still join it). Returns how many went.
   */
  pruneMessages(before: number): number {
    return this.sql
      .get(
        `DELETE FROM uplink_messages WHERE received_at < ?
           AND (incident_id IS NULL OR incident_id IN
                (SELECT id FROM incidents WHERE state IN ('closed', 'false-alarm')))`,
      )
      .run(before).changes;
  }

  recordMessage(
    deviceId: string,
    counter: number,
    tag: Uint8Array,
    at: number,
    incidentId: string | null,
  ): void {
    this.sql
      .get(
        `INSERT OR IGNORE INTO uplink_messages
           (device_id, counter, tag, received_at, incident_id) VALUES (?, ?, ?, ?, ?)`,
      )
      .run(deviceId, counter, Buffer.from(tag), at, incidentId);
  }
}

function toState(row: StateRow): DeviceState {
  return {
    deviceId: row.device_id,
    lastSeen: row.last_seen,
    lastCounter: row.last_counter,
    battery: row.battery,
    mains: flag(row.mains),
    tamper: flag(row.tamper),
    inCall: flag(row.in_call),
    lastTestAt: row.last_test_at,
    lastWindow: row.last_window,
    onPreviousKey: row.previous_key !== 0,
  };
}
