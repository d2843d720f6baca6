// Post scenarios: the full lifecycle seen from the street, and the panicked second press.

import {
  closeAndSeeIdle,
  closeIncident,
  expectOutputs,
  incidentIds,
  newIncident,
  pause,
  stateReached,
  type Scenario,
} from './scenario';

/** Past the post's 10 s repeat-ignore window, so each scenario's press is a fresh alarm. */
export const clearRepeatWindowMs = 11_000;

export const postLifecycle: Scenario = {
  name: 'post press → incident → acknowledge → help coming → close → idle',
  kind: 'post',
  async run(context) {
    const { device, system } = context;
    await device.elapse(clearRepeatWindowMs);
    const before = incidentIds(context);

    await device.hold(200);
    const incident = await newIncident(context, before);
    if (incident.location === null || incident.location.source !== 'installed') {
      throw new Error(
        `a post's incident carries its installed location, got ${JSON.stringify(incident.location)}`,
      );
    }

    // The broker tells the post "received" as the incident opens and "help coming" once
    // dispatch acknowledges it (broker/src/ingest/acks.ts): on a bench, where observing
    // takes real time, the received stage is seen only before the acknowledgement.
    await expectOutputs(context, 'received', { received: 'on', strobe: 'blinking' });

    await system.dispatch.command('acknowledge', incident.id);
    await stateReached(context, incident.id, 'acknowledged');
    await expectOutputs(context, 'help coming', { received: 'blinking', calling: 'off' });

    await system.dispatch.command('dispatched', incident.id, 240);
    await stateReached(context, incident.id, 'dispatched');
    await expectOutputs(context, 'help coming after dispatch', {
      received: 'blinking',
      calling: 'off',
    });

    await closeIncident(context, incident.id);
    await expectOutputs(context, 'idle', {
      calling: 'off',
      received: 'off',
      strobe: 'off',
    });
  },
};

export const postRepeatPress: Scenario = {
  name: 'post repeat press within 10 s is ignored',
  kind: 'post',
  async run(context) {
    const { device, system } = context;
    await device.elapse(clearRepeatWindowMs);
    const before = incidentIds(context);

    await device.hold(200);
    const incident = await newIncident(context, before);
    await device.elapse(2000);
    await device.hold(200);
    await device.elapse(2000);
    await device.hold(200);
    // Real time for a wrongly sent second alarm to travel the whole path.
    await pause(Math.min(3000, system.feedTimeoutMs));

    const after = system.dispatch
      .incidentsOf(device.deviceId)
      .filter((i) => !before.has(i.id));
    if (after.length !== 1)
      throw new Error(`expected one incident, the feed has ${after.length}`);
    const current = system.dispatch.incidents.get(incident.id)!;
    if (current.presses !== 1)
      throw new Error(`the incident counts ${current.presses} presses`);
    context.log('two more presses within 10 s: still one incident, one press');
    await closeAndSeeIdle(context, incident.id);
  },
};
