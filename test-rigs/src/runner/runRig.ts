// Runs a rig file's scenarios on its driver and writes the results: JUnit XML for CI and a
// readable summary. The virtual driver brings the whole system up from nothing in a data
// folder; the bench driver opens the bench's instruments and runs the same system on them.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { openBench } from '../drivers/bench/benchDriver';
import type { Rig } from '../rig/rigFile';
import { scenarios as allScenarios } from '../scenarios/index';
import type { Scenario } from '../scenarios/scenario';
import { resolvePort } from '../serial/serialLine';
import { System } from '../system/system';
import { openVirtualRig } from '../virtual/virtualRig';
import { junitXml, summary, type CaseResult, type RunResult } from './results';
import { runScenarios } from './runScenarios';

export interface RigRunOptions {
  dataDir: string;
  junitPath?: string;
  only?: string[];
  scenarios?: Scenario[];
  /** Posts heartbeat this often on the rig (default 2 s, so "silent" shows in seconds). */
  postHeartbeatMs?: number;
  say?: (line: string) => void;
  onCase?: (result: CaseResult) => void;
}

export async function runRig(rig: Rig, options: RigRunOptions): Promise<RunResult> {
  const postHeartbeatMs = options.postHeartbeatMs ?? 2000;
  const scenarios = options.scenarios ?? allScenarios;
  const runOptions = {
    rig: rig.name,
    driver: rig.driver,
    ...(options.only === undefined ? {} : { only: options.only }),
    ...(options.onCase === undefined ? {} : { onCase: options.onCase }),
  };
  let run: RunResult;
  if (rig.driver === 'virtual') {
    const virtual = await openVirtualRig(rig, {
      dataDir: options.dataDir,
      postHeartbeatMs,
      ...(options.say === undefined ? {} : { say: options.say }),
    });
    try {
      run = await runScenarios(virtual.devices, virtual.system, scenarios, runOptions);
    } finally {
      await virtual.close();
    }
  } else {
    run = await runBench(rig, options, postHeartbeatMs, scenarios, runOptions);
  }
  if (options.junitPath !== undefined) {
    mkdirSync(dirname(options.junitPath), { recursive: true });
    writeFileSync(options.junitPath, junitXml(run));
  }
  return run;
}

/**
 * A bench: devices are real and already flashed and provisioned (with `urgence`), the
 * posts' links are on the host's serial ports and wearables are heard by its BLE adapter.
 */
async function runBench(
  rig: Rig,
  options: RigRunOptions,
  postHeartbeatMs: number,
  scenarios: Scenario[],
  runOptions: Parameters<typeof runScenarios>[3],
): Promise<RunResult> {
  const links = await Promise.all(
    rig.places.flatMap((place) =>
      place.link === undefined ? [] : [resolvePort(place.link)],
    ),
  );
  const bench = await openBench(rig);
  const system = new System({
    dataDir: options.dataDir,
    mqttPort: 0,
    serialPorts: links,
    postHeartbeatMs,
    // A bench of posts only needs no BLE adapter on its host.
    radio: rig.places.some((place) => place.kind === 'wearable') ? 'real' : 'none',
  });
  try {
    system.prepareRegistry();
    await system.start();
    return await runScenarios(bench.devices, system, scenarios, runOptions);
  } finally {
    await system.stop();
    await bench.close();
  }
}

export { summary };
