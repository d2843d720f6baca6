// Runs every scenario on every place of its kind, one after the other, and records each
// as a case: passed, failed (with the reason and the stages it reached) or skipped.

import type { DeviceUnderTest } from '../drivers/device';
import { NotWiredError } from '../drivers/device';
import type { RigSystem, Scenario } from '../scenarios/scenario';
import type { CaseResult, RunResult } from './results';

export interface RunOptions {
  rig: string;
  driver: string;
  /** Longest one scenario may take on one place. */
  caseTimeoutMs?: number;
  /** Runs only scenarios whose name includes one of these. */
  only?: string[];
  /** Called as each case ends (the readable summary is printed from it). */
  onCase?: (result: CaseResult) => void;
}

export async function runScenarios(
  devices: DeviceUnderTest[],
  system: RigSystem,
  scenarios: Scenario[],
  options: RunOptions,
): Promise<RunResult> {
  const run: RunResult = {
    rig: options.rig,
    driver: options.driver,
    startedAt: new Date(),
    cases: [],
  };
  const wanted = scenarios.filter(
    (scenario) =>
      options.only === undefined ||
      options.only.some((part) => scenario.name.includes(part)),
  );
  for (const scenario of wanted) {
    for (const device of devices.filter((d) => d.place.kind === scenario.kind)) {
      const result = await runCase(
        scenario,
        device,
        system,
        options.caseTimeoutMs ?? 90_000,
      );
      run.cases.push(result);
      options.onCase?.(result);
      await recover(device, system);
    }
  }
  return run;
}

async function runCase(
  scenario: Scenario,
  device: DeviceUnderTest,
  system: RigSystem,
  timeoutMs: number,
): Promise<CaseResult> {
  const log: string[] = [];
  const startedAt = Date.now();
  const stamp = (line: string) =>
    log.push(`+${((Date.now() - startedAt) / 1000).toFixed(2)} s ${line}`);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`did not finish within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  const result = (outcome: CaseResult['outcome'], error?: Error): CaseResult => ({
    scenario: scenario.name,
    place: device.place.name,
    outcome,
    seconds: (Date.now() - startedAt) / 1000,
    log,
    ...(error === undefined
      ? {}
      : { message: error.message, detail: error.stack ?? error.message }),
  });
  try {
    await Promise.race([scenario.run({ device, system, log: stamp }), timeout]);
    return result('passed');
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    // What the device printed last often says why (a refused config, a link down).
    for (const line of device.consoleLines().slice(-12)) log.push(`console: ${line}`);
    return result(failure instanceof NotWiredError ? 'skipped' : 'failed', failure);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * After a case, whatever it left behind is put back so the next case starts from a
 * healthy, idle device: button up, link and power on, no incident open.
 */
async function recover(device: DeviceUnderTest, system: RigSystem): Promise<void> {
  const quietly = (step: Promise<void>) => step.catch(() => undefined);
  await quietly(device.release());
  await quietly(device.linkRestore());
  if (!device.powered) await quietly(device.powerRestore());
  if (device.place.kind === 'post') await quietly(device.setTamper(false));
  for (const incident of system.dispatch.incidentsOf(device.deviceId)) {
    if (incident.state === 'closed' || incident.state === 'false-alarm') continue;
    await quietly(system.dispatch.command('close', incident.id));
  }
}
