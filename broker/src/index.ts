// @urgence/broker: the registry, the MQTT broker and (from the ingest) the alarm path.
export * from './registry/index';
export * from './server/index';
export { identityOf, gatewayClientId, LoginThrottle } from './auth/index';
export type { Identity, CredentialStore } from './auth/index';
// The ingest, for main.ts, the test rigs and the CLI (README "Ingest").
export { createIngest, encodeUplink, decodeUplink } from './ingest/index';
export type {
  CreateIngestOptions,
  Ingest,
  CommandReply,
  Outcome,
  UplinkEnvelope,
  DownlinkEnvelope,
  GatewayReport,
} from './ingest/index';
export type { IngestOptions } from './ingest/pipeline';
export type { SupervisionOptions, Timers } from './supervision/supervisor';
export type { Clock, Publish } from './feed/publisher';
