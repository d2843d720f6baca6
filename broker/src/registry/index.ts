// Public face of the registry (re-exported by @urgence/broker).
export { openRegistry, Registry, DEFAULT_ROTATION_GRACE_MS } from './registry';
export { RegistryError } from './types';
export type {
  DeviceKind,
  DeviceRecord,
  GatewayRecord,
  Location,
  NewDevice,
  NewGateway,
  PrivacyPolicy,
  RegistryErrorCode,
} from './types';
