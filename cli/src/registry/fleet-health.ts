// The fleet's health from the registry file: the devices and gateways the registry holds,
// joined with what the broker's ingest stores in the same file (device_state, faults) once
// the broker has run on it. Read-only: the CLI never edits the ingest's tables.

import type { Registry } from '@urgence/broker';
import { postDefaults, wearableDefaults } from '@urgence/firmware';

export interface DeviceHealth {
  id: string;
  kind: string;
  label: string | null;
  lastSeen: number | null;
  battery: number | null;
  mains: boolean | null;
  tamper: boolean | null;
  onPreviousKey: boolean;
  problems: string[];
}

export interface OpenFault {
  kind: string;
  deviceId: string | null;
  gatewayId: string | null;
  openedAt: number;
  detail: string | null;
}

export interface FleetHealth {
  /** False when the broker never ran on this file: no last-seen data exists yet. */
  ingestData: boolean;
  devices: DeviceHealth[];
  gateways: number;
  openFaults: OpenFault[];
}

// A post heartbeats every minute: three missed in a row is silence, not jitter. A wearable
// reports at least every 12 h: two missed reports (24 h) is silence, DESIGN.md's daily bound.
const silentAfterMs = {
  post: 3 * postDefaults.heartbeatMs,
  wearable: 2 * wearableDefaults.supervisionEveryMs,
};
/** Percent, as devices report it (protocol: battery is state of charge 0-100). */
export const lowBatteryPercent = 20;

interface StateRow {
  device_id: string;
  last_seen: number;
  battery: number | null;
  mains: number | null;
  tamper: number | null;
  previous_key: number;
}

interface FaultRow {
  kind: string;
  device_id: string | null;
  gateway_id: string | null;
  opened_at: number;
  detail: string | null;
}

export function fleetHealth(registry: Registry, now = Date.now()): FleetHealth {
  const ingestData = hasTable(registry, 'device_state') && hasTable(registry, 'faults');
  const states = new Map<string, StateRow>();
  let openFaults: OpenFault[] = [];
  if (ingestData) {
    for (const row of registry.db
      .prepare('SELECT * FROM device_state')
      .all() as StateRow[]) {
      states.set(row.device_id, row);
    }
    openFaults = (
      registry.db
        .prepare('SELECT * FROM faults WHERE cleared_at IS NULL ORDER BY opened_at')
        .all() as FaultRow[]
    ).map((row) => ({
      kind: row.kind,
      deviceId: row.device_id,
      gatewayId: row.gateway_id,
      openedAt: row.opened_at,
      detail: row.detail,
    }));
  }

  const devices = registry.listDevices().map((device): DeviceHealth => {
    const state = states.get(device.id);
    const health: DeviceHealth = {
      id: device.id,
      kind: device.kind,
      label: device.location?.label ?? null,
      lastSeen: state?.last_seen ?? null,
      battery: state?.battery ?? null,
      mains: state?.mains === null || state === undefined ? null : state.mains !== 0,
      tamper: state?.tamper === null || state === undefined ? null : state.tamper !== 0,
      onPreviousKey: state?.previous_key === 1,
      problems: [],
    };
    if (ingestData) health.problems = problemsOf(health, device.kind, now);
    return health;
  });

  return { ingestData, devices, gateways: registry.listGateways().length, openFaults };
}

function problemsOf(
  health: DeviceHealth,
  kind: 'post' | 'wearable',
  now: number,
): string[] {
  const problems: string[] = [];
  if (health.lastSeen === null) problems.push('never heard');
  else if (now - health.lastSeen > silentAfterMs[kind]) problems.push('silent');
  if (health.battery !== null && health.battery < lowBatteryPercent)
    problems.push('low battery');
  if (health.mains === false) problems.push('on battery');
  if (health.tamper === true) problems.push('tamper');
  if (health.onPreviousKey) problems.push('still on its pre-rotation key');
  return problems;
}

function hasTable(registry: Registry, name: string): boolean {
  const row = registry.db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
    .get(name);
  return row !== undefined;
}
