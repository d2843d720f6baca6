// Gateway benchmark: prints figures, asserts nothing. Run:
//   npx tsx edge-gateway/bench/throughput.ts [--posts 8] [--alarms 250] [--wearables 2000]
//     [--dir /var/lib/urgence/bench]
// 1. Outbox append latency with fdatasync (one writer: every append pays a flush) and
//    throughput with 64 concurrent writers (group commit shares flushes).
// 2. End to end, serial: simulated posts on socat ptys -> links -> outbox -> real Aedes.
// 3. End to end, BLE: virtual radio -> noble -> dedup -> outbox -> real Aedes.
// Baseline in the same process: a bare mqtt.js client publishing QoS 2 to the same broker.
// The outbox files go under --dir (default: the OS temp directory). Measure on the disk
// the outbox will really use: on tmpfs (often /tmp) fdatasync returns at once, so the
// latency printed says nothing about a power cut's cost. Files are removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { parseConfig, startGateway } from '@urgence/edge-gateway';
import { Outbox } from '../src/outbox/outbox';
import { AedesHarness } from '../src/testing/aedes-harness';
import { FakeNobleBindings } from '../src/testing/fake-ble';
import { SimulatedPost } from '../src/testing/sim-post';
import { ptyPair } from '../src/testing/socat';
import { wearableAdvert } from '../src/testing/wearable';

const { values } = parseArgs({
  options: {
    posts: { type: 'string', default: '8' },
    alarms: { type: 'string', default: '250' },
    wearables: { type: 'string', default: '2000' },
    dir: { type: 'string', default: tmpdir() },
  },
});
const POSTS = Number(values.posts);
const ALARMS = Number(values.alarms);
const WEARABLES = Number(values.wearables);
const log = pino({ level: 'silent' });
const frame = (n: number) => new Uint8Array(40).fill(n & 0xff);
const uplink = (n: number) => ({
  link: 'serial' as const,
  frame: frame(n),
  firstHeard: n,
  lastHeard: n,
  copies: 1,
});

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function outboxLatency(): Promise<void> {
  const dir = mkdtempSync(join(values.dir, 'urgence-bench-'));
  const outbox = await Outbox.open({ dir, maxBytes: 1 << 28, log });
  const latencies: number[] = [];
  for (let i = 0; i < 500; i++) {
    const started = process.hrtime.bigint();
    await outbox.append(`post${i % 32}`, 'alarm', uplink(i));
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  latencies.sort((a, b) => a - b);
  console.log(
    `outbox append, 1 writer (fdatasync each): p50 ${percentile(latencies, 0.5).toFixed(2)} ms,` +
      ` p99 ${percentile(latencies, 0.99).toFixed(2)} ms`,
  );

  const commitsBefore = outbox.stats.commits;
  const started = Date.now();
  const total = 20_000;
  let next = 0;
  const writer = async () => {
    while (next < total) await outbox.append(`post${next % 32}`, 'alarm', uplink(next++));
  };
  await Promise.all(Array.from({ length: 64 }, writer));
  const seconds = (Date.now() - started) / 1000;
  const commits = outbox.stats.commits - commitsBefore;
  console.log(
    `outbox append, 64 writers (group commit): ${Math.round(total / seconds)} appends/s,` +
      ` ${(total / commits).toFixed(1)} appends per fdatasync`,
  );
  await outbox.close();
  rmSync(dir, { recursive: true, force: true });
}

async function bareQos2(harness: AedesHarness, count: number): Promise<number> {
  const client = await mqtt.connectAsync(harness.url, {
    protocolVersion: 4,
    username: 'gw-bench',
    password: 's',
    clientId: 'bench-baseline',
  });
  const started = Date.now();
  let done = 0;
  await new Promise<void>((resolve) => {
    let sent = 0;
    const pump = () => {
      while (sent < count && sent - done < 32) {
        sent++;
        client.publish(
          'urgence/v1/gw/gw-bench/up',
          Buffer.from(frame(sent)),
          { qos: 2 },
          () => {
            if (++done === count) resolve();
            else pump();
          },
        );
      }
    };
    pump();
  });
  await client.endAsync();
  return count / ((Date.now() - started) / 1000);
}

async function endToEnd(): Promise<void> {
  const harness = new AedesHarness({ gatewayId: 'gw-bench', secret: 's' });
  await harness.start();
  const baseline = await bareQos2(harness, 5000);
  harness.uplinks.length = 0;
  console.log(`baseline: bare mqtt.js QoS 2, window 32: ${Math.round(baseline)} msg/s`);

  const ptys = await Promise.all(Array.from({ length: POSTS }, () => ptyPair()));
  const dir = mkdtempSync(join(values.dir, 'urgence-bench-gw-'));
  const radio = new FakeNobleBindings();
  const config = parseConfig({
    gatewayId: 'gw-bench',
    broker: { url: harness.url, secret: 's' },
    serial: ptys.map((p) => ({ path: p.gatewayEnd, baudRate: 115200 })),
    outbox: { dir },
  });
  const gateway = await startGateway(config, { bleBindings: radio, log });
  const posts = await Promise.all(
    ptys.map((p, i) =>
      SimulatedPost.open(
        p.postEnd,
        (i + 1).toString(16).padStart(8, '0'),
        new Uint8Array(32),
      ),
    ),
  );

  // Serial: each post sends ALARMS alarms; its Link is stop-and-wait (one in flight).
  let started = Date.now();
  let queued = 0;
  await Promise.all(
    posts.map(async (post) => {
      for (let counter = 1; counter <= ALARMS; counter++) {
        await post.until(() => post.pending < 8);
        post.send({ type: 1, counter });
        queued++;
      }
    }),
  );
  await harness.waitFor(() => harness.uplinks.length >= queued, 300_000);
  let seconds = (Date.now() - started) / 1000;
  const serialRate = queued / seconds;
  console.log(
    `serial end to end: ${queued} alarms from ${POSTS} posts in ${seconds.toFixed(1)} s = ` +
      `${Math.round(serialRate)} frames/s (${((serialRate / baseline) * 100).toFixed(1)}% of baseline)`,
  );

  // BLE: WEARABLES distinct wearables, each heard 3 times (three channels).
  await new Promise<void>((resolve) => {
    const wait = () => (radio.scanning ? resolve() : setTimeout(wait, 10));
    wait();
  });
  const before = harness.uplinks.length;
  started = Date.now();
  for (let w = 0; w < WEARABLES; w++) {
    const key = new Uint8Array(32);
    new DataView(key.buffer).setUint32(0, w);
    const advert = wearableAdvert(key, { type: 1, counter: 1 });
    for (let copy = 0; copy < 3; copy++)
      radio.advertise('d0:00:00:00:00:01', advert, -70);
    if (w % 200 === 199) await new Promise((resolve) => setImmediate(resolve));
  }
  await harness.waitFor(() => harness.uplinks.length - before >= WEARABLES, 300_000);
  seconds = (Date.now() - started) / 1000;
  console.log(
    `ble end to end: ${WEARABLES} wearable alarms x 3 copies in ${seconds.toFixed(1)} s = ` +
      `${Math.round(WEARABLES / seconds)} frames/s (incl. the 300 ms dedup hold)`,
  );

  for (const post of posts) await post.close();
  await gateway.stop();
  for (const p of ptys) await p.close();
  await harness.stop();
  rmSync(dir, { recursive: true, force: true });
}

console.log(`outbox files under ${values.dir}`);
await outboxLatency();
await endToEnd();
