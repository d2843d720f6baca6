// Figures for the toolchain, printed, never asserted: bundle sizes, the cost of the
// Espruino compatibility check relative to parsing the same bundle with acorn (baseline in
// the same process), and how fast the simulator runs device time.
// Run: npm run bench -w @urgence/firmware

import { existsSync } from 'node:fs';
import * as acorn from 'acorn';
import { bundleDevice, sizeLine } from './bundle';
import { devices } from './devices';
import { checkEspruino } from './check';
import { SimDevice } from '../sim/device';

function medianMs(runs: number, work: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    work();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

for (const device of devices) {
  if (!existsSync(device.entry)) continue;
  let code: string;
  try {
    const bundle = await bundleDevice(device);
    console.log(sizeLine(bundle));
    code = bundle.code;
  } catch (error) {
    console.log(`${device.name}: does not build (${String(error).split('\n')[0]})`);
    continue;
  }
  const parse = medianMs(21, () =>
    acorn.parse(code, { ecmaVersion: 'latest', locations: true }),
  );
  const check = medianMs(21, () => checkEspruino(code));
  console.log(
    `  check ${check.toFixed(1)} ms vs acorn parse ${parse.toFixed(1)} ms ` +
      `(x${(check / parse).toFixed(1)})`,
  );
}

// One simulated day of a 1 Hz timer with a pin toggle: device seconds per real second.
const sim = new SimDevice();
sim.powerOn(
  'var on = 0; setInterval(function () { on = 1 - on; digitalWrite(D5, on); }, 1000);',
);
const day = 24 * 3600 * 1000;
const start = process.hrtime.bigint();
sim.advance(day);
const realSeconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(
  `simulator: 86,400 timer ticks (one device day) in ${realSeconds.toFixed(2)} s ` +
    `= ${(86400 / realSeconds).toFixed(0)} device seconds per second`,
);
