// Input checks for the registry: each rejects with a RegistryError that says what was
// wrong and what is accepted (CONTRACTS.md, "Identities").
import { RegistryError } from './types';
import type { DeviceKind, Location, PrivacyPolicy } from './types';

const DEVICE_ID = /^[0-9a-f]{8}$/;
const GATEWAY_ID = /^[a-z0-9-]{1,32}$/;
const DISPATCHER_NAME = /^[a-z0-9-]{1,32}$/;
export const DEVICE_KEY_BYTES = 32;
// A secret shorter than this is guessable whatever the hash costs.
const MIN_SECRET_LENGTH = 16;

export function checkDeviceId(id: string): void {
  if (!DEVICE_ID.test(id)) {
    throw new RegistryError(
      'bad-device-id',
      `device id "${id}": expected 8 lowercase hex digits`,
    );
  }
}

export function checkDeviceKind(kind: string): asserts kind is DeviceKind {
  if (kind !== 'post' && kind !== 'wearable') {
    throw new RegistryError(
      'bad-device-kind',
      `device kind "${kind}": expected post or wearable`,
    );
  }
}

export function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== DEVICE_KEY_BYTES) {
    throw new RegistryError('bad-key', `device key: expected ${DEVICE_KEY_BYTES} bytes`);
  }
}

export function checkPolicy(policy: string): asserts policy is PrivacyPolicy {
  if (policy !== 'precise' && policy !== 'area' && policy !== 'none') {
    throw new RegistryError(
      'bad-policy',
      `policy "${policy}": expected precise, area or none`,
    );
  }
}

export function checkLocation(location: Location): void {
  const { lat, lon } = location;
  const latOk = Number.isFinite(lat) && lat >= -90 && lat <= 90;
  const lonOk = Number.isFinite(lon) && lon >= -180 && lon <= 180;
  if (!latOk || !lonOk) {
    throw new RegistryError(
      'bad-location',
      `location ${lat},${lon}: expected lat in [-90, 90] and lon in [-180, 180]`,
    );
  }
}

export function checkGatewayId(id: string): void {
  if (!GATEWAY_ID.test(id)) {
    throw new RegistryError(
      'bad-gateway-id',
      `gateway id "${id}": expected [a-z0-9-]{1,32}`,
    );
  }
}

export function checkDispatcherName(name: string): void {
  if (!DISPATCHER_NAME.test(name)) {
    throw new RegistryError(
      'bad-dispatcher-name',
      `dispatcher name "${name}": expected [a-z0-9-]{1,32}`,
    );
  }
}

export function checkSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new RegistryError(
      'bad-secret',
      `secret: expected at least ${MIN_SECRET_LENGTH} characters`,
    );
  }
}
