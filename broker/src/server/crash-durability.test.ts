// The durability invariant end to end: a broker process killed with SIGKILL right after
// the gateway got its QoS 2 receipt still has the uplink when it starts again.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openRegistry } from '../registry/index';
import { GATEWAY_A, connectGateway } from './test-support';
import { gatewayTopic } from './topics';

const childScript = fileURLToPath(
  new URL('./test-child/recording-broker.ts', import.meta.url),
);

async function startChild(
  dataDir: string,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const [line] = (await once(lines, 'line')) as [string];
  lines.close();
  return { child, port: (JSON.parse(line) as { tcp: number }).tcp };
}

async function kill(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

test('an uplink receipted just before SIGKILL is in the registry file after restart', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'urgence-crash-'));
  const registry = openRegistry(join(dataDir, 'registry.sqlite'));
  registry.addGateway({ ...GATEWAY_A, location: { lat: 48.85, lon: 2.35 } });
  registry.close();
  const children: ChildProcess[] = [];
  try {
    const first = await startChild(dataDir);
    children.push(first.child);
    const gateway = await connectGateway(`mqtt://127.0.0.1:${first.port}`);
    const alarms = ['alarm-1', 'alarm-2', 'alarm-3'];
    for (const alarm of alarms) {
      await gateway.publishAsync(gatewayTopic(GATEWAY_A.id, 'up'), alarm, { qos: 2 });
    }
    // Killed the moment the last receipt (PUBCOMP) is in: no clean shutdown, no flush.
    await kill(first.child);
    gateway.end(true);

    const second = await startChild(dataDir);
    children.push(second.child);
    const file = new Database(join(dataDir, 'registry.sqlite'), { readonly: true });
    const rows = file.prepare('SELECT payload FROM test_uplinks').all() as {
      payload: Buffer;
    }[];
    file.close();
    assert.equal(
      rows.map((row) => row.payload.toString()),
      alarms,
    );
  } finally {
    for (const child of children) await kill(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test.run();
