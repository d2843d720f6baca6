// The compatibility check over what really ships: the device bundles `npm run build` wrote
// to firmware/dist, and protocol/ compiled alone (every export kept).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleDevice, helpersIn } from './bundle';
import { devices, distDir } from './devices';
import { checkEspruino, formatProblem } from './check';

const protocolEntry = fileURLToPath(
  new URL('../../protocol/src/index.ts', import.meta.url),
);

for (const device of devices) {
  const file = distDir + device.name + '.js';
  // Absent only while firmware/src/<device>/main.ts is not written yet (the build says so).
  if (!existsSync(device.entry)) continue;
  test(`the ${device.name} bundle was built`, () => {
    assert.ok(existsSync(file), `${file} is missing: \`npm run build\` failed for it`);
  });
  if (!existsSync(file)) continue;
  test(`the built ${device.name} bundle passes the Espruino compatibility check`, () => {
    const problems = checkEspruino(readFileSync(file, 'utf8'));
    assert.equal(problems.map(formatProblem), []);
  });
  test(`the ${device.name} bundle needs no esbuild helper`, async () => {
    // Helpers appear when source needs lowering (class fields with define semantics, object
    // spread, async): they cost bytes and lean on defineProperty. Minified, their names are
    // gone, so this looks at the same bundle unminified.
    const plain = await bundleDevice(device, undefined, false);
    assert.equal(helpersIn(plain.code), []);
  });
  test(`the built ${device.name} bundle fits its budget`, () => {
    const bytes = readFileSync(file).length;
    assert.ok(
      bytes <= device.budgetBytes,
      `${bytes} bytes, budget ${device.budgetBytes}`,
    );
  });
}

if (existsSync(protocolEntry)) {
  test('protocol/ compiled alone passes the Espruino compatibility check', async () => {
    const bundle = await bundleDevice(
      { name: 'protocol', entry: protocolEntry, budgetBytes: Infinity },
      'protocol',
    );
    assert.equal(checkEspruino(bundle.code).map(formatProblem), []);
  });
}

test.run();
