// What a scenario is and what it may use: the device under test (either driver), the
// dispatch console on the feed, and the processes of the system it may kill and restart.
// Scenarios are written once against this and run on the virtual rig or on a bench.

import type { DeviceUnderTest, Outputs } from '../drivers/device';
import type { DeviceKind } from '../rig/rigFile';
import type { DispatchConsole, FeedIncident } from '../system/dispatchConsole';

/** A process of the system (gateway, broker) that a fault scenario kills and restarts. */
export interface SystemProcess {
  /** SIGKILL: no shutdown code runs, as in a crash or a power cut of the host. */
  kill(): Promise<void>;
  start(): Promise<void>;
}

export interface RigSystem {
  dispatch: DispatchConsole;
  gateway: SystemProcess;
  broker: SystemProcess;
  /** Longest a silent post may take to become a fault on the feed, as configured. */
  silentPostBoundMs: number;
  /** Real-time budget for one hop through gateway and broker (generous on a loaded CI). */
  feedTimeoutMs: number;
}

export interface ScenarioContext {
  device: DeviceUnderTest;
  system: RigSystem;
  log(line: string): void;
}

export interface Scenario {
  name: string;
  kind: DeviceKind;
  run(context: ScenarioContext): Promise<void>;
}

export type Seen = 'on' | 'off' | 'blinking';

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Samples the outputs over a window of device time: steady on, steady off, or blinking. */
export async function observe(
  device: DeviceUnderTest,
  windowMs = 2000,
  stepMs = 125,
): Promise<Record<string, Seen>> {
  const samples: Outputs[] = [];
  for (let elapsed = 0; elapsed < windowMs; elapsed += stepMs) {
    samples.push(await device.outputs());
    await device.elapse(stepMs);
  }
  const seen: Record<string, Seen> = {};
  for (const name of Object.keys(samples[0] ?? {})) {
    const on = samples.filter((sample) => sample[name] === true).length;
    seen[name] = on === 0 ? 'off' : on === samples.length ? 'on' : 'blinking';
  }
  return seen;
}

/**
 * Observes until the outputs match, or fails saying what was seen last. The budget is the
 * feed's real-time budget (an ack crosses gateway and broker first), not a count of
 * observations, so a loaded machine slows the check down rather than failing it.
 */
export async function expectOutputs(
  context: ScenarioContext,
  stage: string,
  expected: Record<string, Seen>,
  /** 0: one observation only (a stage that lasts a few seconds of device time). */
  budgetMs = context.system.feedTimeoutMs,
): Promise<void> {
  const deadline = Date.now() + budgetMs;
  let seen: Record<string, Seen> = {};
  for (;;) {
    seen = await observe(context.device);
    const matches = Object.entries(expected).every(
      ([name, value]) => seen[name] === value,
    );
    if (matches) {
      context.log(`outputs show ${stage}: ${JSON.stringify(seen)}`);
      return;
    }
    if (Date.now() > deadline) break;
    // The outputs have no event to await (a bench's finger board only reads levels): give
    // the gateway and feed real time to move while the device shows its last stage.
    await pause(250);
  }
  throw new Error(
    `outputs do not show ${stage} within ${budgetMs} ms: ` +
      `expected ${JSON.stringify(expected)}, saw ${JSON.stringify(seen)}`,
  );
}

/** The newest incident of this device that is not among `before`. */
export async function newIncident(
  context: ScenarioContext,
  before: Set<string>,
  what = 'a new incident',
): Promise<FeedIncident> {
  const { dispatch, feedTimeoutMs } = context.system;
  const incident = await dispatch.waitFor(
    `${what} for ${context.device.deviceId}`,
    () => dispatch.incidentsOf(context.device.deviceId).find((i) => !before.has(i.id)),
    feedTimeoutMs,
  );
  context.log(`incident ${incident.id} on the feed, state ${incident.state}`);
  return incident;
}

export function incidentIds(context: ScenarioContext): Set<string> {
  return new Set(
    context.system.dispatch.incidentsOf(context.device.deviceId).map((i) => i.id),
  );
}

export async function stateReached(
  context: ScenarioContext,
  incidentId: string,
  state: string,
): Promise<FeedIncident> {
  const { dispatch, feedTimeoutMs } = context.system;
  const incident = await dispatch.waitFor(
    `incident ${incidentId} in state ${state}`,
    () => {
      const current = dispatch.incidents.get(incidentId);
      return current?.state === state ? current : undefined;
    },
    feedTimeoutMs,
  );
  context.log(`incident ${incidentId} is ${state}`);
  return incident;
}

/** Closes the incident on the feed so the next scenario starts from an idle device. */
export async function closeIncident(context: ScenarioContext, incidentId: string) {
  await context.system.dispatch.command('close', incidentId);
  await stateReached(context, incidentId, 'closed');
}

/** Closes the incident and checks the post went back to idle (the close reached it). */
export async function closeAndSeeIdle(context: ScenarioContext, incidentId: string) {
  await closeIncident(context, incidentId);
  await expectOutputs(context, 'idle after close', { calling: 'off', strobe: 'off' });
}

/**
 * Waits (in real time, for the ack to travel) until an output has been steadily on for
 * `minOnMs` of device time: a short feedback flash that a fixed window could straddle.
 */
export async function expectSteadyOn(
  context: ScenarioContext,
  stage: string,
  output: string,
  minOnMs: number,
  stepMs = 100,
): Promise<void> {
  const deadline = Date.now() + context.system.feedTimeoutMs;
  let onFor = 0;
  while (Date.now() < deadline) {
    const outputs = await context.device.outputs();
    onFor = outputs[output] === true ? onFor + stepMs : 0;
    if (onFor >= minOnMs) {
      context.log(`outputs show ${stage}: ${output} on for ${onFor} ms`);
      return;
    }
    await context.device.elapse(stepMs);
    await pause(20);
  }
  throw new Error(`outputs do not show ${stage}: ${output} never on for ${minOnMs} ms`);
}
