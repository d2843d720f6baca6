import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Incident } from '../incidents/types';
import { capTime, incidentCap } from './cap';
import { postAlarm, pressedAt } from './test/incidents';

const schema = fileURLToPath(
  new URL('./fixtures/CAP-v1.2-from-spec.xsd', import.meta.url),
);

function validate(xml: string): { ok: boolean; output: string } {
  const run = spawnSync('xmllint', ['--noout', '--schema', schema, '-'], {
    input: xml,
    encoding: 'utf8',
  });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

const alert = { sender: 'urgence-broker', first: true };
const later = { sender: 'urgence-broker', first: false };

test('CAP dates use an explicit -00:00 offset for UTC, never Z', () => {
  assert.is(capTime(pressedAt), '2026-12-03T19:00:00-00:00');
});

test('a new post alarm is an Actual Alert that validates against the CAP 1.2 schema', () => {
  const xml = incidentCap(postAlarm, pressedAt + 1_000, alert);
  const verdict = validate(xml);
  assert.ok(verdict.ok, verdict.output);
  assert.match(xml, '<status>Actual</status>');
  assert.match(xml, '<msgType>Alert</msgType>');
  assert.match(xml, '<circle>48.856600,2.352200 0.000</circle>');
  assert.match(xml, 'Rue &lt;A&gt; &amp; B');
});

test('a dispatched wearable test alarm is a Test Update referencing the first alert', () => {
  const incident: Incident = {
    ...postAlarm,
    kind: 'test',
    deviceKind: 'wearable',
    state: 'dispatched',
    etaSeconds: 240,
    location: { lat: 48.85, lon: 2.35, radiusM: 250, source: 'gateways' },
    history: [
      ...postAlarm.history,
      {
        state: 'dispatched',
        at: pressedAt + 9_000,
        actor: 'dispatch:police',
        detail: null,
      },
    ],
  };
  const xml = incidentCap(incident, pressedAt + 10_000, later);
  const verdict = validate(xml);
  assert.ok(verdict.ok, verdict.output);
  assert.match(xml, '<status>Test</status>');
  assert.match(xml, '<msgType>Update</msgType>');
  assert.match(
    xml,
    '<references>urgence-broker,urgence-inc-000001,2026-12-03T19:00:00-00:00',
  );
  assert.match(xml, '<circle>48.850000,2.350000 0.250</circle>');
});

test('a false alarm is a Cancel, and an incident without location has no area', () => {
  const incident: Incident = {
    ...postAlarm,
    state: 'false-alarm',
    location: null,
    history: [
      ...postAlarm.history,
      {
        state: 'false-alarm',
        at: pressedAt + 9_000,
        actor: 'dispatch:police',
        detail: null,
      },
    ],
  };
  const xml = incidentCap(incident, pressedAt + 10_000, later);
  assert.ok(validate(xml).ok);
  assert.match(xml, '<msgType>Cancel</msgType>');
  assert.not.match(xml, '<area>');
});

test('the Alert has a fixed identifier; a later document one from its own content', () => {
  assert.match(
    incidentCap(postAlarm, pressedAt, alert),
    '<identifier>urgence-inc-000001<',
  );
  const update = (incident: Incident, now: number) =>
    /<identifier>([^<]*)</.exec(incidentCap(incident, now, later))?.[1] ?? '';
  const heardTwice: Incident = {
    ...postAlarm,
    heardBy: [...postAlarm.heardBy, { ...postAlarm.heardBy[0], gatewayId: 'gw-2' }],
  };
  const first = update(postAlarm, pressedAt + 2_000);
  assert.match(first, /^urgence-inc-000001-[0-9a-f]{16}$/);
  assert.is(
    update(postAlarm, pressedAt + 2_000),
    first,
    'the same document, the same id',
  );
  assert.is.not(update(heardTwice, pressedAt + 2_000), first, 'another gateway');
  assert.is.not(update(postAlarm, pressedAt + 3_000), first, 'sent a second later');
});

test('the schema check is real: a Z time and an unknown status are refused', () => {
  const xml = incidentCap(postAlarm, pressedAt, alert)
    .replace('-00:00</sent>', 'Z</sent>')
    .replace('<status>Actual', '<status>Urgent');
  const verdict = validate(xml);
  assert.not.ok(verdict.ok);
  assert.match(verdict.output, 'sent');
  assert.match(verdict.output, 'status');
});

test.run();
