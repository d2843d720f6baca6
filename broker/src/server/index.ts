// The MQTT side of the broker.
export { startBroker, DEFAULT_MAX_PACKET_BYTES } from './broker';
export type { BrokerOptions, RunningBroker } from './broker';
export type { UplinkHandler, DispatchCommandHandler, DispatcherRef } from './hooks';
export { GatewayEvents } from './gateway-events';
export type { GatewayEventMap } from './gateway-events';
export { PortInUseError } from './listeners';
export { RemainingLengthScanner, PacketSizeGuard } from './packet-limit';
export * from './topics';
