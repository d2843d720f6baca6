// What the broker tells supervision about gateways: sessions opening and closing, and
// their state (including the last will, `offline`) and telemetry messages.
import { EventEmitter } from 'node:events';

export interface GatewayEventMap {
  /** A gateway's session is up (CONNACK sent). */
  connected: [gatewayId: string];
  /** Its session ended, cleanly or not (a will, if any, arrives as `state`). */
  disconnected: [gatewayId: string];
  /** A message on `gw/<id>/state`: the gateway's own or its last will. */
  state: [gatewayId: string, payload: Buffer];
  telemetry: [gatewayId: string, payload: Buffer];
  /**
   * The gateway's subscription to its own downlink is in place: from now on a publish
   * there reaches it. Gateways use clean sessions, so this follows every reconnect.
   */
  downlinkReady: [gatewayId: string];
}

export class GatewayEvents extends EventEmitter<GatewayEventMap> {
  private readonly sessions = new Set<string>();

  markConnected(gatewayId: string): void {
    this.sessions.add(gatewayId);
    this.emit('connected', gatewayId);
  }

  markDisconnected(gatewayId: string): void {
    this.sessions.delete(gatewayId);
    this.emit('disconnected', gatewayId);
  }

  emitState(gatewayId: string, payload: Buffer): void {
    this.emit('state', gatewayId, payload);
  }

  emitTelemetry(gatewayId: string, payload: Buffer): void {
    this.emit('telemetry', gatewayId, payload);
  }

  emitDownlinkReady(gatewayId: string): void {
    this.emit('downlinkReady', gatewayId);
  }

  /** Gateways with an open session now. */
  connectedGateways(): string[] {
    return [...this.sessions].sort();
  }
}
