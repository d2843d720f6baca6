// The city's promise: from alert to intervention in at most five minutes. The clock runs
// from the press until a crew is on scene (or the incident ends) and says when the
// promise is threatened, so dispatch can escalate before it is broken.
import type { Incident } from '../incidents/types';

/** Five minutes, press to intervention (the city's service target). */
export const TARGET_SECONDS = 300;

/**
 * At risk from 180 s on: with less than two minutes left a crew that has not yet been
 * dispatched cannot usually reach the place in time, so dispatch must act now. Also at
 * risk earlier when the announced ETA already lands past the target.
 */
export const AT_RISK_AFTER_SECONDS = 180;

export interface FiveMinuteClock {
  readonly targetSeconds: number;
  readonly deadline: number;
  readonly secondsSincePress: number;
  readonly atRisk: boolean;
  /** When the clock stopped (on scene, closed, false alarm), or null while it runs. */
  readonly stoppedAt: number | null;
}

function stopTime(incident: Incident): number | null {
  for (const change of incident.history) {
    if (change.state === 'on-scene' || change.state === 'closed') return change.at;
    if (change.state === 'false-alarm') return change.at;
  }
  return null;
}

function dispatchedAt(incident: Incident): number | null {
  const change = incident.history.find((entry) => entry.state === 'dispatched');
  return change === undefined ? null : change.at;
}

export function fiveMinuteClock(incident: Incident, now: number): FiveMinuteClock {
  const deadline = incident.pressedAt + TARGET_SECONDS * 1000;
  const stoppedAt = stopTime(incident);
  const until = stoppedAt ?? now;
  const secondsSincePress = Math.max(0, Math.floor((until - incident.pressedAt) / 1000));
  return {
    targetSeconds: TARGET_SECONDS,
    deadline,
    secondsSincePress,
    atRisk: stoppedAt === null && threatened(incident, secondsSincePress, deadline),
    stoppedAt,
  };
}

function threatened(incident: Incident, elapsed: number, deadline: number): boolean {
  if (elapsed >= AT_RISK_AFTER_SECONDS) return true;
  const sent = dispatchedAt(incident);
  if (sent === null || incident.etaSeconds === null) return false;
  return sent + incident.etaSeconds * 1000 > deadline;
}
