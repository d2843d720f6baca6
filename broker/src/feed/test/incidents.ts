// Incidents for the feed's tests, as the store hands them over: one post alarm with an
// installed location whose label needs escaping, and a wearable test alarm located by
// the gateways that heard it. Both CAP checks (schema and an independent reader) use them.
import type { Incident, StateChange } from '../../incidents/types';
import type { IncidentState } from '../../incidents/lifecycle';

export const pressedAt = Date.UTC(2026, 11, 3, 19, 0, 0);
export const receivedAt = pressedAt + 400;

export const postAlarm: Incident = {
  id: 'inc-000001',
  kind: 'alarm',
  deviceId: '0000002a',
  deviceKind: 'post',
  counter: 7,
  lastCounter: 7,
  state: 'new',
  pressedAt,
  receivedAt,
  presses: 1,
  location: {
    lat: 48.8566,
    lon: 2.3522,
    radiusM: 0,
    source: 'installed',
    label: 'Rue <A> & B',
  },
  etaSeconds: null,
  updatedAt: receivedAt,
  intercom: null,
  history: [{ state: 'new', at: receivedAt, actor: null, detail: null }],
  heardBy: [
    {
      gatewayId: 'gw-1',
      firstHeard: pressedAt,
      lastHeard: pressedAt,
      bestRssi: -70,
      copies: 1,
    },
  ],
};

export const wearableTest: Incident = {
  ...postAlarm,
  id: 'inc-000002',
  kind: 'test',
  deviceId: '0000beef',
  deviceKind: 'wearable',
  location: { lat: 48.85, lon: 2.35, radiusM: 250, source: 'gateways' },
};

/** The incident after dispatch moved it to `state` at `at` (one history entry more). */
export function movedTo(incident: Incident, state: IncidentState, at: number): Incident {
  const change: StateChange = { state, at, actor: 'dispatch:police', detail: null };
  return { ...incident, state, updatedAt: at, history: [...incident.history, change] };
}
