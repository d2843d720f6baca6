// The broker process as an operator runs it: main.ts in a child process, configured by
// environment, wiring registry, listeners and ingest; stopping on SIGTERM; clear refusals.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openRegistry } from './registry/index';
import { connectDispatcher, connectGateway, nextMessage } from './server/test-support';
import { DISPATCHER, GATEWAY_A } from './server/test-support';
import { gatewayTopic } from './server/topics';
import { serialAlarmUplink } from './test/alarm-uplink';

const mainScript = fileURLToPath(new URL('./main.ts', import.meta.url));

function startMain(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', mainScript], {
    env: { ...process.env, URGENCE_TLS: 'off', URGENCE_MQTT_HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Waits for the log line that says the broker is up, and returns its TCP port. */
async function portOnceUp(child: ChildProcess): Promise<number> {
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    const entry = JSON.parse(line) as { msg: string; ports?: { tcp: number } };
    if (entry.msg === 'urgence broker up' && entry.ports !== undefined)
      return entry.ports.tcp;
  }
  throw new Error('main exited before it was up');
}

async function exitOf(child: ChildProcess) {
  const stderr: Buffer[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr: Buffer.concat(stderr).toString() };
}

let folder = '';

test.before.each(() => {
  folder = mkdtempSync(join(tmpdir(), 'urgence-main-'));
});

test.after.each(() => {
  rmSync(folder, { recursive: true, force: true });
});

test('an alarm sent through main reaches the feed, and SIGTERM stops it cleanly', async () => {
  const registry = openRegistry(join(folder, 'registry.sqlite'));
  const location = { lat: 48.8566, lon: 2.3522 };
  registry.addGateway({ ...GATEWAY_A, location });
  registry.addDispatcher(DISPATCHER);
  const key = new Uint8Array(randomBytes(32));
  registry.addDevice({ id: '0000002a', kind: 'post', key, location });
  registry.close();

  const child = startMain({ URGENCE_DATA_DIR: folder, URGENCE_MQTT_PORT: '0' });
  const exited = exitOf(child);
  try {
    const url = `mqtt://127.0.0.1:${await portOnceUp(child)}`;
    const dispatcher = await connectDispatcher(url);
    await dispatcher.subscribeAsync('urgence/v1/feed/incidents/+', { qos: 1 });
    const incident = nextMessage(dispatcher);
    const gateway = await connectGateway(url);
    await gateway.publishAsync(
      gatewayTopic(GATEWAY_A.id, 'up'),
      serialAlarmUplink('0000002a', key, 7),
      { qos: 2 },
    );
    const [, payload] = await incident;
    assert.is((JSON.parse(payload.toString()) as { device: string }).device, '0000002a');
    await gateway.endAsync();
    await dispatcher.endAsync();
  } finally {
    child.kill('SIGTERM');
  }
  assert.is((await exited).code, 0);
});

test('supervision settings from the environment shorten the silent-post bound', async () => {
  const registry = openRegistry(join(folder, 'registry.sqlite'));
  registry.addDispatcher(DISPATCHER);
  const key = new Uint8Array(randomBytes(32));
  registry.addDevice({ id: '0000002a', kind: 'post', key });
  registry.close();

  const child = startMain({
    URGENCE_DATA_DIR: folder,
    URGENCE_MQTT_PORT: '0',
    URGENCE_POST_HEARTBEAT_MS: '200',
    URGENCE_SUPERVISION_CHECK_MS: '200',
  });
  const exited = exitOf(child);
  try {
    const url = `mqtt://127.0.0.1:${await portOnceUp(child)}`;
    const dispatcher = await connectDispatcher(url);
    // Retained per open fault: subscribing after it opened still delivers it.
    const fault = nextMessage(dispatcher);
    await dispatcher.subscribeAsync('urgence/v1/feed/faults/+', { qos: 1 });
    const [, payload] = await fault;
    const line = JSON.parse(payload.toString()) as { kind: string; device: string };
    assert.equal([line.kind, line.device], ['device-silent', '0000002a']);
    await dispatcher.endAsync();
  } finally {
    child.kill('SIGTERM');
  }
  assert.is((await exited).code, 0);
});

test('a port already taken stops start-up with one line saying how to choose another', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as { port: number }).port;
  try {
    const child = startMain({
      URGENCE_DATA_DIR: folder,
      URGENCE_MQTT_PORT: String(port),
    });
    const { code, stderr } = await exitOf(child);
    assert.is(code, 2);
    assert.match(
      stderr,
      new RegExp(`^urgence broker: tcp port ${port} .*URGENCE_MQTT_PORT\\n$`),
    );
  } finally {
    blocker.close();
  }
});

test('a bad setting stops start-up with one line naming it', async () => {
  const child = startMain({ URGENCE_DATA_DIR: folder, URGENCE_MAX_PACKET_BYTES: '-5' });
  const { code, stderr } = await exitOf(child);
  assert.is(code, 2);
  assert.match(stderr, /^urgence broker: config: limits\.maxPacketBytes: [^\n]+\n$/);
});

test.run();
