import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Incident } from '../incidents/types';
import { incidentFeedJson } from './incident-json';

const pressedAt = Date.UTC(2026, 11, 3, 19, 0, 0);

const incident: Incident = {
  id: 'inc-000004',
  kind: 'alarm',
  deviceId: '0000002a',
  deviceKind: 'post',
  counter: 3,
  lastCounter: 3,
  state: 'new',
  pressedAt,
  receivedAt: pressedAt + 300,
  presses: 1,
  location: null,
  etaSeconds: null,
  updatedAt: pressedAt + 300,
  intercom: null,
  history: [{ state: 'new', at: pressedAt + 300, actor: null, detail: null }],
  heardBy: [],
};

function withChange(state: Incident['state'], at: number, eta?: number): Incident {
  return {
    ...incident,
    state,
    etaSeconds: eta ?? incident.etaSeconds,
    history: [...incident.history, { state, at, actor: 'dispatch:police', detail: null }],
  };
}

test('the clock counts whole seconds since the press and is not at risk before 180 s', () => {
  const json = incidentFeedJson(incident, pressedAt + 179_900);
  assert.is(json.clock.secondsSincePress, 179);
  assert.is(json.clock.atRisk, false);
  assert.is(json.clock.deadline, '2026-12-03T19:05:00.000Z');
});

test('the clock is at risk from 180 s while nobody is on scene', () => {
  assert.is(incidentFeedJson(incident, pressedAt + 180_000).clock.atRisk, true);
});

test('an ETA that lands past the five minutes puts the clock at risk at once', () => {
  const late = withChange('dispatched', pressedAt + 60_000, 250);
  assert.is(incidentFeedJson(late, pressedAt + 61_000).clock.atRisk, true);
  const soon = withChange('dispatched', pressedAt + 60_000, 120);
  assert.is(incidentFeedJson(soon, pressedAt + 61_000).clock.atRisk, false);
});

test('the clock stops when the crew is on scene', () => {
  const arrived = withChange('on-scene', pressedAt + 200_000);
  const json = incidentFeedJson(arrived, pressedAt + 900_000);
  assert.is(json.clock.secondsSincePress, 200);
  assert.is(json.clock.atRisk, false);
  assert.is(json.times.onScene, '2026-12-03T19:03:20.000Z');
  assert.is(json.clock.stoppedAt, json.times.onScene);
});

test.run();
