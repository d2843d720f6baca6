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

/** Waits for a pattern on the child's output; fails at once if the child exits first. */
function until(
  child: ChildProcess,
  output: () => string,
  pattern: RegExp,
  timeoutMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      clearTimeout(timer);
      child.stdout!.off('data', check);
      child.stderr!.off('data', check);
      child.off('exit', exited);
      if (error === undefined) resolve();
      else reject(error);
    };
    // Checked after this chunk was appended: the output listeners were added first.
    const check = () => {
      if (pattern.test(output())) done();
    };
    const exited = () =>
      done(new Error(`exited before ${pattern}; output:\n${output()}`));
    const timer = setTimeout(
      () => done(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${output()}`)),
      timeoutMs,
    );
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', exited);
    if (child.exitCode !== null || child.signalCode !== null) exited();
    else check();
  });
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
    await until(child, output, /urgence is running/, 90_000);
    assert.match(output(), new RegExp(`broker +mqtt://127\\.0\\.0\\.1:${port}`));
    assert.match(output(), /press the button of post 1, 2, 3/);

    child.stdin!.write('1');
    await until(child, output, /INCIDENT +inc-\d+ new post 0000a001/, 30_000);

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
