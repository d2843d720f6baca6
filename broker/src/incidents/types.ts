// Shapes of what the ingest records: incidents, who heard them, where they are.
import type { IncidentState } from './lifecycle';

export type IncidentKind = 'alarm' | 'test';
export type DeviceKind = 'post' | 'wearable';

/**
 * Where help should go. A post gives its installed point; a wearable gives a circle
 * around the gateways that heard it, as wide as its owner's policy demands.
 */
export interface IncidentLocation {
  readonly lat: number;
  readonly lon: number;
  /** Metres; 0 for a post's installed point. */
  readonly radiusM: number;
  readonly source: 'installed' | 'gateways';
  readonly label?: string;
}

export interface HeardBy {
  readonly gatewayId: string;
  readonly firstHeard: number;
  readonly lastHeard: number;
  readonly bestRssi: number | null;
  readonly copies: number;
}

/**
 * The post's intercom during this incident: `calling` while its call line reports a
 * call, `ended` once a call seen during the incident is over, `idle` when the post has
 * reported no call at all yet. `since` is when the broker heard the state begin.
 */
export interface IncidentIntercom {
  readonly state: 'calling' | 'ended' | 'idle';
  readonly since: number;
}

export interface StateChange {
  readonly state: IncidentState | 'device-cancel' | 're-pressed';
  readonly at: number;
  readonly actor: string | null;
  readonly detail: string | null;
}

export interface Incident {
  readonly id: string;
  readonly kind: IncidentKind;
  readonly deviceId: string;
  readonly deviceKind: DeviceKind;
  /** Counter of the alarm that opened the incident, and of the latest press joined to it. */
  readonly counter: number;
  readonly lastCounter: number;
  readonly state: IncidentState;
  readonly pressedAt: number;
  readonly receivedAt: number;
  readonly presses: number;
  readonly location: IncidentLocation | null;
  readonly etaSeconds: number | null;
  readonly updatedAt: number;
  readonly history: readonly StateChange[];
  readonly heardBy: readonly HeardBy[];
  /** Null until the post reports its call state during the incident (never a wearable). */
  readonly intercom: IncidentIntercom | null;
}

/** What a device's ack is made of (acks.ts): who, which press, which stage, what ETA. */
export type AckSubject = Pick<
  Incident,
  'id' | 'deviceId' | 'lastCounter' | 'state' | 'etaSeconds'
>;

export interface NewIncident {
  readonly kind: IncidentKind;
  readonly deviceId: string;
  readonly deviceKind: DeviceKind;
  readonly counter: number;
  readonly pressedAt: number;
  readonly receivedAt: number;
  readonly location: IncidentLocation | null;
}

export interface Hearing {
  readonly gatewayId: string;
  readonly firstHeard: number;
  readonly lastHeard: number;
  readonly rssi: number | null;
  readonly copies: number;
}
