// `npm run build -w @urgence/firmware`: bundles every device whose entry exists, writes
// firmware/dist/<device>.js, prints the size report and exits non-zero with one line per
// problem (over budget, or code the Espruino interpreter cannot run).

import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { budgetViolation, bundleDevice, sizeLine, type Bundle } from './bundle';
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
    const outFile = distDir + device.name + '.js';
    // A failed build must not leave an older bundle behind for the tests to pick up.
    rmSync(outFile, { force: true });
    let bundle: Bundle;
    try {
      bundle = await bundleDevice(device);
    } catch (error) {
      for (const line of esbuildErrors(error))
        console.error(`error: ${device.name}: ${line}`);
      failures++;
      continue;
    }
    writeFileSync(outFile, bundle.code);
    console.log(sizeLine(bundle) + '  ' + outFile);

    const violation = budgetViolation(bundle);
    if (violation !== undefined) {
      console.error('error: ' + violation);
      // What to cut first: the largest contributors to the bundle.
      for (const { file, bytes } of bundle.contributions.slice(0, 8)) {
        console.error(`  ${String(bytes).padStart(7)} B  ${file}`);
      }
      failures++;
    }
    for (const problem of checkEspruino(bundle.code)) {
      console.error(`error: ${device.name}.js ${formatProblem(problem)}`);
      failures++;
    }
  }
  return failures === 0 ? 0 : 1;
}

/** esbuild's failures as `file:line:column: text` lines. */
function esbuildErrors(error: unknown): string[] {
  const errors = (error as { errors?: { text: string; location?: Location | null }[] })
    .errors;
  if (errors === undefined) return [String(error)];
  return errors.map((each) => {
    const at = each.location;
    return at ? `${at.file}:${at.line}:${at.column + 1}: ${each.text}` : each.text;
  });
}

interface Location {
  file: string;
  line: number;
  column: number;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('error: firmware build failed: ' + String(error));
    process.exit(1);
  },
);
