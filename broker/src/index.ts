// @urgence/broker: the registry, the MQTT broker and (from the ingest) the alarm path.
export * from './registry/index';
export * from './server/index';
export { identityOf, gatewayClientId, LoginThrottle } from './auth/index';
export type { Identity, CredentialStore } from './auth/index';
