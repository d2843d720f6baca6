// Mapping between the registry's SQLite rows and the records its API hands out.
import type { SecretHash } from './secrets';
import type { DeviceRecord, GatewayRecord, Location } from './types';

export interface DeviceRow {
  id: string;
  kind: 'post' | 'wearable';
  key: Buffer;
  previous_key: Buffer | null;
  previous_key_expires_at: number | null;
  lat: number | null;
  lon: number | null;
  label: string | null;
  policy: 'precise' | 'area' | 'none' | null;
  retired: number;
  created_at: number;
  updated_at: number;
}

export interface SecretRow {
  secret_hash: Buffer;
  secret_salt: Buffer;
  scrypt_n: number;
  scrypt_r: number;
  scrypt_p: number;
}

export interface GatewayRow extends SecretRow {
  id: string;
  lat: number;
  lon: number;
  label: string | null;
  retired: number;
  created_at: number;
  updated_at: number;
}

function locationOf(lat: number | null, lon: number | null, label: string | null) {
  if (lat === null || lon === null) return undefined;
  const location: Location = { lat, lon };
  if (label !== null) location.label = label;
  return location;
}

export function deviceFromRow(row: DeviceRow): DeviceRecord {
  const device: DeviceRecord = {
    id: row.id,
    kind: row.kind,
    key: new Uint8Array(row.key),
    retired: row.retired !== 0,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.previous_key !== null && row.previous_key_expires_at !== null) {
    device.previousKey = {
      key: new Uint8Array(row.previous_key),
      expiresAt: row.previous_key_expires_at,
    };
  }
  const location = locationOf(row.lat, row.lon, row.label);
  if (location !== undefined) device.location = location;
  if (row.policy !== null) device.policy = row.policy;
  return device;
}

export function gatewayFromRow(row: GatewayRow): GatewayRecord {
  return {
    id: row.id,
    location: locationOf(row.lat, row.lon, row.label) ?? { lat: row.lat, lon: row.lon },
    retired: row.retired !== 0,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function secretFromRow(row: SecretRow): SecretHash {
  return {
    hash: row.secret_hash,
    salt: row.secret_salt,
    n: row.scrypt_n,
    r: row.scrypt_r,
    p: row.scrypt_p,
  };
}
