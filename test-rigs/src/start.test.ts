import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRegistry } from '@urgence/broker';

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

/** Every process below `root` now (from /proc), with its command line. */
function descendants(root: number): Map<number, string> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid ...": comm may hold spaces, so read after its last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // The process ended while we read.
    }
  }
  const found = new Map<number, string>();
  const walk = (pid: number) => {
    for (const [child, parent] of parents) {
      if (parent !== pid || found.has(child)) continue;
      found.set(child, commandLine(child));
      walk(child);
    }
  };
  walk(root);
  return found;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Which of `children` still run after up to 5 s: tsx's esbuild service helpers end when
 * they see their parent's pipe close, soon after the parent.
 */
async function stillRunning(children: Map<number, string>): Promise<[number, string][]> {
  const running = () => [...children].filter(([pid]) => alive(pid));
  const deadline = Date.now() + 5000;
  while (running().length > 0 && Date.now() < deadline) await pause(100);
  return running();
}

const keysOf = (dataDir: string, device: string) => {
  const registry = openRegistry(join(dataDir, 'registry.sqlite'));
  try {
    return registry.validKeys(device).map((key) => Buffer.from(key).toString('hex'));
  } finally {
    registry.close();
  }
};

async function listening(): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const portOf = (server: Server) => (server.address() as { port: number }).port;

/** A port nothing listens on now: listened on, then closed. */
async function freePort(): Promise<number> {
  const probe = await listening();
  const port = portOf(probe);
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** After a test, pass or fail: no npm start left running, no data folder left behind. */
function cleanUp(runs: (ReturnType<typeof startUrgence> | undefined)[], dataDir: string) {
  for (const run of runs) {
    if (run !== undefined && run.child.exitCode === null) run.child.kill('SIGKILL');
  }
  rmSync(dataDir, { recursive: true, force: true });
}

test('npm start runs the fleet, SIGINT leaves no process behind, a restart keeps the data', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'urgence-start-'));
  const port = await freePort();
  const stopped = async (run: ReturnType<typeof startUrgence>) => {
    const exited = new Promise<number | null>((resolve) =>
      run.child.once('exit', resolve),
    );
    run.child.kill('SIGINT');
    return exited;
  };
  const first = startUrgence(port, dataDir);
  let second: typeof first | undefined;
  try {
    await until(first.child, first.output, /urgence is running/, 90_000);
    assert.match(first.output(), new RegExp(`broker +mqtt://127\\.0\\.0\\.1:${port}`));
    assert.match(first.output(), /press the button of post 1, 2, 3/);

    first.child.stdin!.write('1');
    await until(first.child, first.output, /INCIDENT +inc-\d+ new post 0000a001/, 30_000);
    const incident = /INCIDENT +(inc-\d+) new post 0000a001/.exec(first.output())![1]!;

    // Broker, gateway and the posts' socat ptys all hang below the npm start process.
    const children = descendants(first.child.pid!);
    const commands = [...children.values()];
    assert.ok(commands.some((command) => command.includes('broker/src/main.ts')));
    assert.ok(commands.some((command) => command.includes('gatewayProcess.ts')));
    assert.ok(commands.some((command) => command.startsWith('socat ')));
    assert.is(await stopped(first), 0);
    assert.match(first.output(), /Data kept in/);
    // The system's own processes are stopped before npm start exits.
    const system = /broker\/src\/main\.ts|gatewayProcess\.ts|^socat /;
    const running = () => [...children].filter(([pid]) => alive(pid));
    assert.equal(
      running().filter(([, command]) => system.test(command)),
      [],
      'broker, gateway or socat still running after SIGINT',
    );
    assert.equal(
      await stillRunning(children),
      [],
      'processes still running after SIGINT',
    );
    const keys = keysOf(dataDir, '0000a001');
    assert.is(keys.length, 1);

    second = startUrgence(port, dataDir);
    await until(second.child, second.output, /urgence is running/, 60_000);
    assert.match(second.output(), /starting again from .*keys, counters, incidents kept/);
    assert.not.match(second.output(), /provisioning/);
    // The open incident of the first run is on the feed again.
    await until(
      second.child,
      second.output,
      new RegExp(`INCIDENT +${incident} `),
      20_000,
    );
    assert.is(await stopped(second), 0);
    assert.equal(keysOf(dataDir, '0000a001'), keys);
  } finally {
    cleanUp([first, second], dataDir);
  }
});

test('Ctrl-C during the first start stops it at the next step, and the next start resumes', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'urgence-start-'));
  const port = await freePort();
  const first = startUrgence(port, dataDir);
  let second: typeof first | undefined;
  try {
    // Post 1 is provisioned (registry and flash), the posts' socat ptys are up.
    await until(first.child, first.output, /provisioning post 0000a002/, 60_000);
    const children = descendants(first.child.pid!);
    assert.ok([...children.values()].some((command) => command.startsWith('socat ')));
    const exited = new Promise<number | null>((resolve) =>
      first.child.once('exit', resolve),
    );
    first.child.kill('SIGINT');
    assert.is(await exited, 0, first.output());
    assert.match(first.output(), /stopped during start-up\. Data kept in/);
    assert.not.match(first.output(), /urgence is running/);
    assert.equal(
      await stillRunning(children),
      [],
      'processes left running after Ctrl-C in start-up',
    );
    const keys = keysOf(dataDir, '0000a001');
    assert.is(keys.length, 1);

    // The port is free again, post 1 kept its flash and key, the rest is provisioned now.
    second = startUrgence(port, dataDir);
    await until(second.child, second.output, /urgence is running/, 90_000);
    assert.not.match(second.output(), /provisioning post 0000a001/);
    assert.match(second.output(), /provisioning wearable 0000b006/);
    assert.equal(keysOf(dataDir, '0000a001'), keys);
    const stopped = new Promise<number | null>((resolve) =>
      second!.child.once('exit', resolve),
    );
    second.child.kill('SIGINT');
    assert.is(await stopped, 0);
  } finally {
    cleanUp([first, second], dataDir);
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
