// @urgence/edge-gateway: the service on a street gateway (README.md). startGateway is
// the entry point for main.ts, the test rigs and the tests.
export { startGateway } from './gateway';
export type { GatewayDeps, RunningGateway } from './gateway';
export { ConfigError, loadConfig, parseConfig } from './config';
export type { GatewayConfig, SerialPortConfig } from './config';
export type { AckAdvertiser } from './ble/ack-advertiser';
export { BlenoAckAdvertiser, eirWithManufacturerData } from './ble/ack-advertiser';
export { FakeNobleBindings, RecordingAckAdvertiser } from './testing/fake-ble';
export { gatewayTopics, TOPIC_ROOT } from './uplink/topics';
export type { DownlinkEnvelope, UplinkEnvelope } from './uplink/envelope';
export type { Clock } from './clock';
