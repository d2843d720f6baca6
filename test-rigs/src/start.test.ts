import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const startScript = fileURLToPath(new URL('./start.ts', import.meta.url));

function startUrgence(
  port: number,
  dataDir: string,
): { child: ChildProcess; output: () => string } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', startScript, '--port', String(port), '--data', dataDir],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function until(output: () => string, pattern: RegExp, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(output())) {
    if (Date.now() > deadline) {
      assert.unreachable(`no ${pattern} within ${timeoutMs} ms; output:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function listening(): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const portOf = (server: Server) => (server.address() as { port: number }).port;

test('npm start prints its banner, a key press makes an incident, SIGINT exits 0', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'urgence-start-'));
  const probe = await listening();
  const port = portOf(probe);
  await new Promise((resolve) => probe.close(resolve));
  const { child, output } = startUrgence(port, dataDir);
  try {
    await until(output, /urgence is running/, 90_000);
    assert.match(output(), new RegExp(`broker +mqtt://127\\.0\\.0\\.1:${port}`));
    assert.match(output(), /press the button of post 1, 2, 3/);

    child.stdin!.write('1');
    await until(output, /INCIDENT +inc-\d+ new post 0000a001/, 30_000);

    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    assert.is(await exited, 0);
    assert.match(output(), /Data kept in/);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a taken port is reported with how to choose another', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'urgence-start-'));
  const taken = await listening();
  try {
    const { child, output } = startUrgence(portOf(taken), dataDir);
    const code = await new Promise<number | null>((resolve) =>
      child.once('exit', resolve),
    );
    assert.is(code, 1);
    assert.match(output(), new RegExp(`MQTT port ${portOf(taken)} is taken`));
    assert.match(
      output(),
      /npm start -- --port \d+ +\(or URGENCE_MQTT_PORT=\d+ npm start\)/,
    );
  } finally {
    await new Promise((resolve) => taken.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test.run();
