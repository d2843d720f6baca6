// Uplink throughput and uplink → feed latency through bare Aedes and through the secured
// broker and through the secured broker with the ingest, in one run, with ratios to bare.
//   npx tsx broker/bench/throughput.ts [messages] [window]
// The broker runs in its own process (broker-process.ts), the clients in this one; both
// share the machine's cores with whatever else runs: compare ratios, not absolute figures.
import { drive } from './load';
import type { LoadResult } from './load';
import { bareAedes, securedIngest, securedRelay } from './pipelines';
import type { Pipeline } from './pipelines';

const messages = Number(process.argv[2] ?? 5_000);
const window = Number(process.argv[3] ?? 64);
// One-at-a-time uplinks: the latency of an alarm when the broker is not busy.
const PACED = 300;
const WARM_UP = 200;

async function measure(pipeline: Pipeline) {
  const running = await pipeline.start(WARM_UP + messages + PACED);
  try {
    await drive(running, 0, WARM_UP, window);
    const loaded = await drive(running, WARM_UP, messages, window);
    const paced = await drive(running, WARM_UP + messages, PACED, 1);
    return { loaded, paced };
  } finally {
    await running.stop();
  }
}

interface Measured {
  loaded: LoadResult;
  paced: LoadResult;
}

function row(name: string, result: Measured, baseline?: Measured) {
  const { loaded, paced } = result;
  const ratio = baseline === undefined ? 1 : loaded.perSecond / baseline.loaded.perSecond;
  const cpuRatio =
    baseline === undefined ? 1 : loaded.brokerCpuMicros / baseline.loaded.brokerCpuMicros;
  return [
    name.padEnd(40),
    loaded.perSecond.toFixed(0).padStart(8),
    ratio.toFixed(2).padStart(7),
    loaded.p50Ms.toFixed(2).padStart(9),
    loaded.p99Ms.toFixed(2).padStart(9),
    paced.p50Ms.toFixed(2).padStart(9),
    paced.p99Ms.toFixed(2).padStart(9),
    loaded.brokerCpuMicros.toFixed(0).padStart(8),
    `${cpuRatio.toFixed(2)}×`.padStart(7),
  ].join(' ');
}

console.log(
  `QoS 2 uplinks, ${messages} measured after ${WARM_UP} warm-up, ${window} in flight; ` +
    `then ${PACED} paced one at a time. Latency: uplink publish → feed message, ms`,
);
console.log(
  `${'pipeline'.padEnd(40)}    msg/s vs bare  load p50  load p99  idle p50  idle p99` +
    '  broker CPU µs/msg (vs bare)',
);
const bare = await measure(bareAedes);
console.log(row(bareAedes.name, bare));
for (const pipeline of [securedRelay, securedIngest]) {
  try {
    const result = await measure(pipeline);
    console.log(row(pipeline.name, result, bare));
  } catch (error) {
    // A run that failed measured nothing: say so and fail the script, so a broken full
    // path is never mistaken for a benchmark that simply did not apply.
    console.error(`${pipeline.name}: failed: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 1;
  }
}
