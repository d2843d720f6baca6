// A second, independent reader of our CAP 1.2 documents: @dec112/cap-ts, a CAP library
// written by others, parses what the broker publishes and must find the values we meant.
// It complements the xmllint check in cap.test.ts, whose schema we rebuilt ourselves.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CAP_1_2 } from '@dec112/cap-ts';
import type { Incident } from '../incidents/types';
import { capTime, incidentCap } from './cap';
import {
  movedTo,
  postAlarm,
  pressedAt,
  receivedAt,
  wearableTest,
} from './test/incidents';

const sender = 'urgence-broker';

/** The incident's CAP as published: its first document while dispatch has done nothing. */
async function parsed(incident: Incident): Promise<CAP_1_2.Alert> {
  const first = incident.history.length === 1;
  return CAP_1_2.Alert.fromXML(
    incidentCap(incident, incident.updatedAt, { sender, first }),
  );
}

/** The library hands back enums as numbers: turn them back into CAP's own words. */
function header(alert: CAP_1_2.Alert) {
  return {
    identifier: alert.identifier,
    sender: alert.sender,
    sent: alert.sent,
    status: CAP_1_2._to_string_Alert_status(alert.status),
    msgType: CAP_1_2._to_string_Alert_msgType(alert.msgType),
    scope: CAP_1_2._to_string_Alert_scope(alert.scope),
    references: alert.references,
    incidents: alert.incidents,
  };
}

function onlyInfo(alert: CAP_1_2.Alert): CAP_1_2.Alert_info_list_info {
  assert.is(alert.info_list.length, 1, 'one info block');
  return alert.info_list[0];
}

function infoWords(info: CAP_1_2.Alert_info_list_info) {
  return {
    category: info.category_list.map(
      CAP_1_2._to_string_Alert_info_list_info_category_list_category,
    ),
    event: info.event,
    responseType: info.responseType_list.map(
      CAP_1_2._to_string_Alert_info_list_info_responseType_list_responseType,
    ),
    urgency: CAP_1_2._to_string_Alert_info_list_info_urgency(info.urgency),
    severity: CAP_1_2._to_string_Alert_info_list_info_severity(info.severity),
    certainty: CAP_1_2._to_string_Alert_info_list_info_certainty(info.certainty),
  };
}

function parameterOf(
  info: CAP_1_2.Alert_info_list_info,
  name: string,
): string | undefined {
  return info.parameter_list.find((parameter) => parameter.valueName === name)?.value;
}

/** CAP 1.2 §3.2.1 references: "sender,identifier,sent" of the first Alert. */
const firstAlert = `${sender},urgence-${postAlarm.id},${capTime(receivedAt)}`;

test('a new post alarm reads back as an Actual Alert with no references', async () => {
  const alert = await parsed(postAlarm);
  assert.equal(header(alert), {
    identifier: 'urgence-inc-000001',
    sender,
    sent: '2026-12-03T19:00:00-00:00',
    status: 'Actual',
    msgType: 'Alert',
    scope: 'Restricted',
    references: undefined,
    incidents: 'inc-000001',
  });
});

test('a post alarm is Safety, Immediate, Unknown severity, Observed', async () => {
  const info = onlyInfo(await parsed(postAlarm));
  assert.equal(infoWords(info), {
    category: ['Safety'],
    event: 'Alarm from call post',
    responseType: ['Assess'],
    urgency: 'Immediate',
    severity: 'Unknown',
    certainty: 'Observed',
  });
  assert.is(info.validate(), undefined, 'the library finds nothing wrong in the info');
});

test("a post's area is its installed point, and its label survives escaping", async () => {
  const [area] = onlyInfo(await parsed(postAlarm)).area_list;
  assert.is(area.areaDesc, 'Rue <A> & B');
  assert.equal(area.circle_list, ['48.856600,2.352200 0.000']);
});

test('an acknowledged alarm is an Update that references the first Alert', async () => {
  const alert = await parsed(movedTo(postAlarm, 'acknowledged', pressedAt + 5_000));
  const read = header(alert);
  assert.is(read.msgType, 'Update');
  assert.is(read.status, 'Actual');
  assert.match(read.identifier, /^urgence-inc-000001-[0-9a-f]{16}$/);
  assert.is(read.sent, '2026-12-03T19:00:05-00:00');
  assert.is(read.references, firstAlert);
});

test('a dispatched alarm is an Update carrying its state and the crew ETA', async () => {
  const acknowledged = movedTo(postAlarm, 'acknowledged', pressedAt + 5_000);
  const dispatched = {
    ...movedTo(acknowledged, 'dispatched', pressedAt + 9_000),
    etaSeconds: 240,
  };
  const alert = await parsed(dispatched);
  assert.is(header(alert).msgType, 'Update');
  const before = header(await parsed(acknowledged)).identifier;
  assert.is.not(header(alert).identifier, before, 'each Update has its own identifier');
  assert.is(header(alert).references, firstAlert);
  const info = onlyInfo(alert);
  assert.is(parameterOf(info, 'state'), 'dispatched');
  assert.is(parameterOf(info, 'etaSeconds'), '240');
});

test('a closed alarm is an Update whose response is AllClear', async () => {
  const alert = await parsed(movedTo(postAlarm, 'closed', pressedAt + 600_000));
  assert.is(header(alert).msgType, 'Update');
  assert.is(header(alert).references, firstAlert);
  assert.equal(infoWords(onlyInfo(alert)).responseType, ['AllClear']);
});

test('a false alarm is a Cancel that references the first Alert', async () => {
  const alert = await parsed(movedTo(postAlarm, 'false-alarm', pressedAt + 60_000));
  assert.is(header(alert).msgType, 'Cancel');
  assert.is(header(alert).status, 'Actual');
  assert.is(header(alert).references, firstAlert);
});

test('a wearable test alarm reads back as Test status, Rescue, certainty Unknown', async () => {
  const alert = await parsed(wearableTest);
  assert.is(header(alert).status, 'Test');
  assert.is(header(alert).msgType, 'Alert');
  const info = onlyInfo(alert);
  assert.equal(infoWords(info), {
    category: ['Rescue'],
    event: 'Test alarm from wearable panic button',
    responseType: ['Assess'],
    urgency: 'Immediate',
    severity: 'Unknown',
    certainty: 'Unknown',
  });
  assert.is(info.validate(), undefined);
});

test("a wearable's area is a circle of its policy radius in kilometres", async () => {
  const [area] = onlyInfo(await parsed(wearableTest)).area_list;
  assert.is(area.areaDesc, 'area around the gateways that heard the wearable');
  assert.equal(area.circle_list, ['48.850000,2.350000 0.250']);
});

test('the library refuses an unknown msgType, naming the field and the value', async () => {
  const xml = incidentCap(postAlarm, receivedAt, { sender, first: true }).replace(
    '<msgType>Alert</msgType>',
    '<msgType>Alarm</msgType>',
  );
  const refusal = await CAP_1_2.Alert.fromXML(xml).then(
    () => null,
    (error: Error) => error,
  );
  assert.instance(refusal, Error);
  assert.match(String(refusal?.message), "Invalid alert msgType 'Alarm'");
});

test('the library refuses a document without its required status', async () => {
  const xml = incidentCap(postAlarm, receivedAt, { sender, first: true }).replace(
    '<status>Actual</status>',
    '',
  );
  // Its refusal here is a bare TypeError from reading the missing element, not a message
  // that names <status>: what it proves is only that the document is not accepted.
  const refusal = await CAP_1_2.Alert.fromXML(xml).then(
    () => null,
    (error: Error) => error,
  );
  assert.instance(refusal, Error);
});

test.run();
