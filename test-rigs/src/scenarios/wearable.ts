// Wearable scenarios: a hold through the pre-alarm to an acknowledged alarm, and a cancel.

import {
  closeIncident,
  expectOutputs,
  expectSteadyOn,
  incidentIds,
  newIncident,
  pause,
  stateReached,
  type Scenario,
} from './scenario';

/** Defaults of firmware/src/config/defaults.ts: hold 2 s, pre-alarm 5 s. */
const holdMs = 2100;
const preAlarmMs = 5000;

export const wearableHoldAlarm: Scenario = {
  name: 'wearable hold → pre-alarm → alarm → incident with an area → ack felt',
  kind: 'wearable',
  async run(context) {
    const { device, system } = context;
    const before = incidentIds(context);

    await device.press();
    await device.elapse(holdMs);
    await device.release();
    await expectOutputs(context, 'pre-alarm', { red: 'blinking' }, 0);
    await device.elapse(preAlarmMs);

    const incident = await newIncident(context, before);
    const area = incident.location;
    if (area === null || area.source !== 'gateways' || area.radiusM <= 0) {
      throw new Error(
        `a wearable's incident carries an area, got ${JSON.stringify(area)}`,
      );
    }
    context.log(`area: ${area.radiusM} m around ${area.lat}, ${area.lon}`);

    await system.dispatch.command('acknowledge', incident.id);
    await stateReached(context, incident.id, 'acknowledged');
    // The ack is felt: green steady for 3 s (and the motor on boards that have one).
    await expectSteadyOn(context, 'ack felt', 'green', 1500);
    await closeIncident(context, incident.id);
  },
};

export const wearableCancel: Scenario = {
  name: 'wearable cancel in pre-alarm → no incident',
  kind: 'wearable',
  async run(context) {
    const { device, system } = context;
    const before = incidentIds(context);

    await device.press();
    await device.elapse(holdMs);
    await device.release();
    await device.elapse(1000);
    await device.hold(150);
    await device.elapse(preAlarmMs + 2000);
    await pause(Math.min(3000, system.feedTimeoutMs));

    const after = system.dispatch
      .incidentsOf(device.deviceId)
      .filter((i) => !before.has(i.id));
    if (after.length !== 0) throw new Error(`the cancelled alarm became ${after[0]!.id}`);
    context.log('cancelled in the pre-alarm: no incident on the feed');
  },
};
