// `npx tsx test-rigs/src/runner/main.ts <rig.json> [--junit FILE] [--data DIR] [--only TEXT]`
// Runs the rig file's scenarios, prints one line per case as it ends and the summary, and
// exits 0 only when every case passed (skipped cases are wiring a bench lacks: not failures).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadRigFile } from '../rig/rigFile';
import { RigFileError } from '../rig/check';
import { runRig, summary } from './runRig';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      junit: { type: 'string' },
      data: { type: 'string' },
      only: { type: 'string', multiple: true },
    },
  });
  if (positionals.length !== 1) {
    console.error('usage: main.ts <rig.json> [--junit FILE] [--data DIR] [--only TEXT]');
    return 2;
  }
  const rig = loadRigFile(positionals[0]!);
  const dataDir = values.data ?? mkdtempSync(join(tmpdir(), 'urgence-rig-'));
  try {
    const run = await runRig(rig, {
      dataDir,
      ...(values.junit === undefined ? {} : { junitPath: values.junit }),
      ...(values.only === undefined ? {} : { only: values.only }),
      say: (line) => console.log(`· ${line}`),
      onCase: (result) =>
        console.log(`${result.outcome.padEnd(7)} ${result.place}: ${result.scenario}`),
    });
    console.log('\n' + summary(run));
    return run.cases.some((result) => result.outcome === 'failed') ? 1 : 0;
  } finally {
    if (values.data === undefined) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof RigFileError ? error.message : error);
    process.exit(2);
  },
);
