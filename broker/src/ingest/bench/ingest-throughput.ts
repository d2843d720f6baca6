// Ingest throughput on a real SQLite file (synchronous=FULL), printed as figures and as
// ratios against a bare SQLite baseline measured in the same process:
//   npx tsx broker/src/ingest/bench/ingest-throughput.ts [alarms]
// Publishing is a no-op here: this measures decode, verify, replay and the durable record.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { MessageType, sealMessage } from '@urgence/protocol';
import { openRegistry } from '../../registry/index';
import { createIngest } from '../index';
import { encodeUplink } from '../envelope';
import { sha256 } from '../crypto';

const alarms = Number(process.argv[2] ?? 600);
const dir = mkdtempSync(join(tmpdir(), 'urgence-ingest-bench-'));
const key = new Uint8Array(32).fill(4);

function deviceId(index: number): string {
  return (0x1000_0000 + index).toString(16);
}

function rate(count: number, ms: number): number {
  return Math.round((count * 1000) / ms);
}

/**
 * CPU time of this process per alarm, in µs: steadier than the rate on a shared machine,
 * where the fsync wait swings with other processes' disk use.
 */
function cpuPer(count: number, since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return Math.round((used.user + used.system) / count);
}

async function main() {
  const registry = openRegistry(join(dir, 'broker.db'));
  registry.db.exec('CREATE TABLE baseline (id INTEGER PRIMARY KEY, body BLOB)');
  const body = Buffer.alloc(64, 1);
  const insert = registry.db.prepare('INSERT INTO baseline (body) VALUES (?)');
  let started = performance.now();
  let cpu = process.cpuUsage();
  for (let i = 0; i < alarms; i += 1) insert.run(body);
  const bareEach = rate(alarms, performance.now() - started);
  const bareCpu = cpuPer(alarms, cpu);

  for (let i = 0; i < alarms * 2; i += 1) {
    registry.addDevice({
      id: deviceId(i),
      kind: 'post',
      key,
      location: { lat: 48.8, lon: 2.3 },
    });
  }
  const payloads = (offset: number) =>
    Array.from({ length: alarms }, (_, i) =>
      encodeUplink({
        v: 1,
        link: 'serial',
        frame: sealMessage(sha256, deviceId(offset + i), key, {
          type: MessageType.Alarm,
          counter: 1,
        }),
        firstHeard: Date.now(),
        lastHeard: Date.now(),
        copies: 1,
        outboxSeq: i,
      }),
    );
  const ingest = createIngest({
    registry,
    publish: async () => undefined,
    logger: pino({ level: 'silent' }),
    timers: { setInterval: () => 0, clearInterval: () => undefined },
  });

  const oneByOne = payloads(0);
  started = performance.now();
  cpu = process.cpuUsage();
  for (const payload of oneByOne) await ingest.onUplink('gw-bench', payload);
  const sequential = rate(alarms, performance.now() - started);
  const sequentialCpu = cpuPer(alarms, cpu);

  const together = payloads(alarms);
  started = performance.now();
  cpu = process.cpuUsage();
  const inFlight = 64;
  for (let i = 0; i < together.length; i += inFlight) {
    await Promise.all(
      together.slice(i, i + inFlight).map((p) => ingest.onUplink('gw-bench', p)),
    );
  }
  const grouped = rate(alarms, performance.now() - started);
  const groupedCpu = cpuPer(alarms, cpu);

  ingest.stop();
  registry.close();
  console.log(
    `ingest of ${alarms} post alarms, each a new incident, SQLite synchronous=FULL`,
  );
  console.log(
    'case                                              per s   vs bare insert   CPU µs/alarm',
  );
  const line = (name: string, value: number, cpuUs: number) =>
    console.log(
      `${name.padEnd(44)}${String(value).padStart(10)}     ${(value / bareEach).toFixed(2)}` +
        `${String(cpuUs).padStart(18)}`,
    );
  line('bare SQLite insert, one commit each', bareEach, bareCpu);
  line('ingest, one uplink at a time', sequential, sequentialCpu);
  line(`ingest, ${inFlight} in flight (group commit)`, grouped, groupedCpu);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
