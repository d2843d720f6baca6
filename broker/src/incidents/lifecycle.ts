// The incident lifecycle dispatch drives: new → acknowledged → dispatched → on scene →
// closed, with false-alarm as the other way out. States only move forward, so a late or
// repeated command can never reopen or rewind an incident.

export const incidentStates = [
  'new',
  'acknowledged',
  'dispatched',
  'on-scene',
  'closed',
  'false-alarm',
] as const;
export type IncidentState = (typeof incidentStates)[number];

const rank: Record<IncidentState, number> = {
  new: 0,
  acknowledged: 1,
  dispatched: 2,
  'on-scene': 3,
  closed: 4,
  'false-alarm': 4,
};

export function isTerminal(state: IncidentState): boolean {
  return state === 'closed' || state === 'false-alarm';
}

export type TransitionVerdict =
  | { kind: 'move' }
  | { kind: 'repeat' }
  | { kind: 'refused'; reason: 'incident-finished' | 'backwards' };

/**
 * Whether an incident in `from` may go to `to`. Steps may be skipped (a crew can be
 * dispatched before anyone pressed "acknowledge"); the same state again is a repeat,
 * which dispatch systems send when they retry, and is answered without a new event.
 */
export function judgeTransition(
  from: IncidentState,
  to: IncidentState,
): TransitionVerdict {
  if (from === to) return { kind: 'repeat' };
  if (isTerminal(from)) return { kind: 'refused', reason: 'incident-finished' };
  if (to === 'false-alarm') return { kind: 'move' };
  if (rank[to] > rank[from]) return { kind: 'move' };
  return { kind: 'refused', reason: 'backwards' };
}
