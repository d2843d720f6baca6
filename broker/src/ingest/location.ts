// Where an incident is: a post's installed point, or for a wearable a circle around the
// gateways that heard the alarm, weighted by signal strength and then blurred as far as
// the owner's privacy policy demands. Only ever computed for an alarm (DESIGN.md, Privacy).
import type { DeviceRecord, GatewayRecord } from '../registry/index';
import type { HeardBy, IncidentLocation } from '../incidents/types';

/**
 * Legacy BLE advertising from a wrist-worn button reaches roughly 50–100 m outdoors in
 * a street; 100 m is the margin added around the gateways, since the wearer may stand on
 * the far side of the gateway that heard them.
 */
export const BLE_REACH_M = 100;

/** RSSI assumed for a hearing the gateway reported without one (a mid-range signal). */
const DEFAULT_RSSI_DBM = -80;

/** Policy "area": centre on a 0.005° grid (~550 m N–S in Paris), radius at least 500 m. */
export const AREA_GRID_DEG = 0.005;
export const AREA_MIN_RADIUS_M = 500;

const EARTH_RADIUS_M = 6_371_000;

function metresBetween(a: { lat: number; lon: number }, b: { lat: number; lon: number }) {
  const toRad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * toRad;
  const dLon = (b.lon - a.lon) * toRad * Math.cos(((a.lat + b.lat) / 2) * toRad);
  return EARTH_RADIUS_M * Math.sqrt(dLat * dLat + dLon * dLon);
}

/**
 * Received amplitude falls roughly as 1/distance, i.e. 10^(rssi/20): a gateway 20 dB
 * stronger than another is about ten times closer and gets ten times the weight.
 */
function weightOf(rssi: number | null): number {
  return Math.pow(10, (rssi ?? DEFAULT_RSSI_DBM) / 20);
}

/** The RSSI-weighted centre of the hearing gateways and a radius that covers them all. */
export function gatewayArea(
  heardBy: readonly HeardBy[],
  gatewayAt: (gatewayId: string) => GatewayRecord['location'] | undefined,
): { lat: number; lon: number; radiusM: number } | undefined {
  const placed = heardBy
    .map((heard) => ({
      at: gatewayAt(heard.gatewayId),
      weight: weightOf(heard.bestRssi),
    }))
    .filter((entry) => entry.at !== undefined) as {
    at: { lat: number; lon: number };
    weight: number;
  }[];
  if (placed.length === 0) return undefined;
  const total = placed.reduce((sum, entry) => sum + entry.weight, 0);
  const lat = placed.reduce((sum, entry) => sum + entry.at.lat * entry.weight, 0) / total;
  const lon = placed.reduce((sum, entry) => sum + entry.at.lon * entry.weight, 0) / total;
  const centre = { lat, lon };
  const farthest = Math.max(...placed.map((entry) => metresBetween(centre, entry.at)));
  return { lat, lon, radiusM: farthest + BLE_REACH_M };
}

function roundTo(value: number, step: number): number {
  return Math.round(value / step) * step;
}

/**
 * The owner's policy applied to a computed area:
 * - precise: centre to 5 decimals (~1 m), radius rounded up to 10 m;
 * - area: centre snapped to the AREA_GRID_DEG grid, radius grown by the snapping error
 *   and rounded up to 100 m, never under AREA_MIN_RADIUS_M;
 * - none: no location at all; dispatch still gets the alarm and the device id.
 */
export function applyPolicy(
  area: { lat: number; lon: number; radiusM: number },
  policy: DeviceRecord['policy'],
): IncidentLocation | null {
  if (policy === 'none') return null;
  if (policy === 'precise') {
    return {
      lat: Number(area.lat.toFixed(5)),
      lon: Number(area.lon.toFixed(5)),
      radiusM: Math.ceil(area.radiusM / 10) * 10,
      source: 'gateways',
    };
  }
  const snapped = {
    lat: Number(roundTo(area.lat, AREA_GRID_DEG).toFixed(3)),
    lon: Number(roundTo(area.lon, AREA_GRID_DEG).toFixed(3)),
  };
  const grown = area.radiusM + metresBetween(area, snapped);
  return {
    ...snapped,
    radiusM: Math.max(AREA_MIN_RADIUS_M, Math.ceil(grown / 100) * 100),
    source: 'gateways',
  };
}

/** An incident's location: the post's installed point, or the wearable's policy area. */
export function incidentLocation(
  device: DeviceRecord,
  heardBy: readonly HeardBy[],
  gatewayAt: (gatewayId: string) => GatewayRecord['location'] | undefined,
): IncidentLocation | null {
  if (device.kind === 'post') {
    if (device.location === undefined) return null;
    return {
      lat: device.location.lat,
      lon: device.location.lon,
      radiusM: 0,
      source: 'installed',
      ...(device.location.label === undefined ? {} : { label: device.location.label }),
    };
  }
  const area = gatewayArea(heardBy, gatewayAt);
  // A wearable without policy is treated as "area": the owner never chose precision.
  return area === undefined ? null : applyPolicy(area, device.policy ?? 'area');
}
