import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRigFile } from '../rig/rigFile';
import { scenarios } from '../scenarios/index';
import { runRig, summary } from './runRig';

const rigFile = fileURLToPath(new URL('../../rigs/virtual.json', import.meta.url));

test('every scenario passes on the virtual rig and the JUnit XML is well-formed', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'urgence-rig-test-'));
  try {
    const rig = loadRigFile(rigFile);
    // CI may keep the report: URGENCE_RIG_JUNIT=path/to/rig.xml npm test
    const junitPath = process.env.URGENCE_RIG_JUNIT ?? join(dataDir, 'junit.xml');
    const run = await runRig(rig, { dataDir, junitPath });
    console.log('\n' + summary(run));

    execFileSync('xmllint', ['--noout', junitPath]);
    const expected = rig.places.flatMap((place) =>
      scenarios.filter((scenario) => scenario.kind === place.kind),
    );
    assert.is(run.cases.length, expected.length);
    // Every scenario must pass: none is allowed to fail or be skipped on the virtual rig.
    const failed = run.cases
      .filter((result) => result.outcome !== 'passed')
      .map((result) => `${result.place}: ${result.scenario}: ${result.message}`);
    assert.equal(failed, []);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test.run();
