// Fault scenarios: the system loses a part mid-alarm and still delivers exactly one
// incident; a device's own faults (tamper, silence) reach the feed within their bound.

import { clearRepeatWindowMs } from './post';
import {
  closeAndSeeIdle,
  incidentIds,
  newIncident,
  pause,
  type Scenario,
  type ScenarioContext,
} from './scenario';

async function exactlyOne(context: ScenarioContext, before: Set<string>) {
  const incident = await newIncident(context, before);
  // Let retries and the outbox replay land before counting.
  await pause(2000);
  const { dispatch } = context.system;
  const after = dispatch
    .incidentsOf(context.device.deviceId)
    .filter((i) => !before.has(i.id));
  if (after.length !== 1) {
    throw new Error(
      `expected exactly one incident, the feed has ${after.map((i) => i.id)}`,
    );
  }
  return incident;
}

export const gatewayKilled: Scenario = {
  name: 'gateway killed mid-alarm → still exactly one incident',
  kind: 'post',
  async run(context) {
    const { device, system } = context;
    await device.elapse(clearRepeatWindowMs);
    const before = incidentIds(context);

    await device.hold(200);
    // The post's frame is on the wire or in the outbox: the gateway dies without notice.
    await pause(30);
    await system.gateway.kill();
    context.log('gateway killed (SIGKILL) right after the press');
    await device.elapse(3000);
    await system.gateway.start();
    context.log('gateway restarted');

    const incident = await exactlyOne(context, before);
    // The person at the post must see the end too: the close reaches the post.
    await closeAndSeeIdle(context, incident.id);
  },
};

export const brokerRestarted: Scenario = {
  name: 'broker restarted mid-alarm → still delivered',
  kind: 'post',
  async run(context) {
    const { device, system } = context;
    await device.elapse(clearRepeatWindowMs);
    const before = incidentIds(context);

    await system.broker.kill();
    context.log('broker killed (SIGKILL)');
    await device.hold(200);
    await pause(1000);
    await system.broker.start();
    context.log('broker restarted on the same data');

    const incident = await exactlyOne(context, before);
    await closeAndSeeIdle(context, incident.id);
  },
};

export const powerCutMidAlarm: Scenario = {
  name: 'device power cut mid-alarm → resumed after power returns',
  kind: 'post',
  async run(context) {
    const { device } = context;
    await device.elapse(clearRepeatWindowMs);
    const before = incidentIds(context);

    // With the link cut the alarm cannot leave: it lives only in the post's flash.
    await device.linkCut();
    await device.hold(200);
    await device.elapse(500);
    await device.powerCut();
    context.log('alarm raised with the link cut, then power cut');
    await device.linkRestore();
    await device.elapse(2000);
    await device.powerRestore();
    context.log('power restored');

    const incident = await exactlyOne(context, before);
    await closeAndSeeIdle(context, incident.id);
  },
};

export const tamperFault: Scenario = {
  name: 'tamper → fault in the feed',
  kind: 'post',
  async run(context) {
    const { device, system } = context;
    const known = new Set(system.dispatch.faults.keys());
    await device.setTamper(true);
    await device.elapse(3000);
    const fault = await system.dispatch.waitFor(
      `a tamper fault for ${device.deviceId}`,
      () =>
        [...system.dispatch.faults.values()].find(
          (f) =>
            !known.has(f.id) && f.device === device.deviceId && /tamper/i.test(f.kind),
        ),
      system.feedTimeoutMs,
    );
    context.log(`fault ${fault.id} (${fault.kind}) on the feed`);
    await device.setTamper(false);
    await device.elapse(3000);
  },
};

export const silentPost: Scenario = {
  name: 'silent post → fault within the bound',
  kind: 'post',
  async run(context) {
    const { device, system } = context;
    const known = new Set(system.dispatch.faults.keys());
    const cutAt = Date.now();
    await device.linkCut();
    context.log(`link cut; bound ${system.silentPostBoundMs} ms`);
    const fault = await system.dispatch.waitFor(
      `a silent-device fault for ${device.deviceId}`,
      () =>
        [...system.dispatch.faults.values()].find(
          (f) =>
            !known.has(f.id) && f.device === device.deviceId && /silent/i.test(f.kind),
        ),
      system.silentPostBoundMs,
    );
    context.log(`fault ${fault.id} (${fault.kind}) after ${Date.now() - cutAt} ms`);

    // Heard again, the post's silence faults (the gateway's and the broker's) clear.
    await device.linkRestore();
    await system.dispatch.waitFor(
      `the silent-device faults for ${device.deviceId} cleared`,
      () =>
        [...system.dispatch.faults.values()].every(
          (f) =>
            known.has(f.id) ||
            f.device !== device.deviceId ||
            !/silent/i.test(f.kind) ||
            f.state === 'cleared',
        ) || undefined,
      system.silentPostBoundMs,
    );
    context.log('silence faults cleared once the link was back');
  },
};
