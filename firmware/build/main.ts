// `npm run build -w @urgence/firmware`: bundles every device whose entry exists, writes
// firmware/dist/<device>.js, prints the size report and exits non-zero with one line per
// problem (over budget, or code the Espruino interpreter cannot run).

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { budgetViolation, bundleDevice, sizeLine } from './bundle';
import { devices, distDir } from './devices';
import { checkEspruino, formatProblem } from './check';

async function main(): Promise<number> {
  mkdirSync(distDir, { recursive: true });
  let failures = 0;

  for (const device of devices) {
    if (!existsSync(device.entry)) {
      // The device-logic entries land progressively; a missing one is reported, not built.
      console.log(`${device.name.padEnd(9)} skipped: no entry at ${device.entry}`);
      continue;
    }
    const bundle = await bundleDevice(device);
    const outFile = distDir + device.name + '.js';
    writeFileSync(outFile, bundle.code);
    console.log(sizeLine(bundle) + '  ' + outFile);

    const violation = budgetViolation(bundle);
    if (violation !== undefined) {
      console.error('error: ' + violation);
      failures++;
    }
    for (const problem of checkEspruino(bundle.code)) {
      console.error(`error: ${device.name}.js ${formatProblem(problem)}`);
      failures++;
    }
  }
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('error: firmware build failed: ' + String(error));
    process.exit(1);
  },
);
