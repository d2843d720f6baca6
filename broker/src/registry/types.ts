// Records the registry hands out, and the one error type it throws for bad input.

export type DeviceKind = 'post' | 'wearable';
export type PrivacyPolicy = 'precise' | 'area' | 'none';

export interface Location {
  lat: number;
  lon: number;
  label?: string;
}

export interface NewDevice {
  id: string;
  kind: DeviceKind;
  key: Uint8Array;
  location?: Location;
  policy?: PrivacyPolicy;
}

export interface DeviceRecord {
  id: string;
  kind: DeviceKind;
  key: Uint8Array;
  /** The key replaced by the last rotation, accepted until `expiresAt` (ms epoch). */
  previousKey?: { key: Uint8Array; expiresAt: number };
  location?: Location;
  policy?: PrivacyPolicy;
  retired: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface NewGateway {
  id: string;
  secret: string;
  location: Location;
}

export interface GatewayRecord {
  id: string;
  location: Location;
  retired: boolean;
  createdAt: number;
  updatedAt: number;
}

export type RegistryErrorCode =
  | 'bad-device-id'
  | 'bad-device-kind'
  | 'bad-key'
  | 'bad-location'
  | 'bad-policy'
  | 'bad-gateway-id'
  | 'bad-secret'
  | 'bad-dispatcher-name'
  | 'exists'
  | 'not-found';

export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  constructor(
    readonly code: RegistryErrorCode,
    message: string,
  ) {
    super(message);
  }
}
