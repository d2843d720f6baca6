// The dispatch feed's JSON view of an incident (retained on feed/incidents/<id>). Times
// are ISO 8601 UTC; a time not reached yet is null. Location is already reduced to what
// the owner's policy allows before it gets here (ingest/location.ts).
import type { Incident, StateChange } from '../incidents/types';
import { fiveMinuteClock } from './five-minute-clock';

export interface IncidentFeedJson {
  readonly id: string;
  readonly kind: Incident['kind'];
  readonly device: string;
  readonly deviceKind: Incident['deviceKind'];
  readonly state: Incident['state'];
  readonly location: Incident['location'];
  readonly presses: number;
  readonly etaSeconds: number | null;
  readonly times: Record<
    | 'pressed'
    | 'received'
    | 'acknowledged'
    | 'dispatched'
    | 'onScene'
    | 'closed'
    | 'falseAlarm'
    | 'deviceCancelled',
    string | null
  >;
  readonly heardBy: readonly {
    gateway: string;
    firstHeard: string;
    lastHeard: string;
    bestRssi: number | null;
    copies: number;
  }[];
  /** A post's intercom: is the caller talking on it now (see IncidentIntercom). */
  readonly intercom: { state: 'calling' | 'ended' | 'idle'; since: string } | null;
  readonly clock: {
    targetSeconds: number;
    deadline: string;
    secondsSincePress: number;
    atRisk: boolean;
    stoppedAt: string | null;
  };
  readonly updatedAt: string;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function firstTime(history: readonly StateChange[], state: StateChange['state']) {
  const change = history.find((entry) => entry.state === state);
  return change === undefined ? null : iso(change.at);
}

export function incidentFeedJson(incident: Incident, now: number): IncidentFeedJson {
  const clock = fiveMinuteClock(incident, now);
  const history = incident.history;
  return {
    id: incident.id,
    kind: incident.kind,
    device: incident.deviceId,
    deviceKind: incident.deviceKind,
    state: incident.state,
    location: incident.location,
    presses: incident.presses,
    etaSeconds: incident.etaSeconds,
    times: {
      pressed: iso(incident.pressedAt),
      received: iso(incident.receivedAt),
      acknowledged: firstTime(history, 'acknowledged'),
      dispatched: firstTime(history, 'dispatched'),
      onScene: firstTime(history, 'on-scene'),
      closed: firstTime(history, 'closed'),
      falseAlarm: firstTime(history, 'false-alarm'),
      deviceCancelled: firstTime(history, 'device-cancel'),
    },
    heardBy: incident.heardBy.map((heard) => ({
      gateway: heard.gatewayId,
      firstHeard: iso(heard.firstHeard),
      lastHeard: iso(heard.lastHeard),
      bestRssi: heard.bestRssi,
      copies: heard.copies,
    })),
    intercom:
      incident.intercom === null
        ? null
        : { state: incident.intercom.state, since: iso(incident.intercom.since) },
    clock: {
      targetSeconds: clock.targetSeconds,
      deadline: iso(clock.deadline),
      secondsSincePress: clock.secondsSincePress,
      atRisk: clock.atRisk,
      stoppedAt: clock.stoppedAt === null ? null : iso(clock.stoppedAt),
    },
    updatedAt: iso(incident.updatedAt),
  };
}
