import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode } from 'cbor-x';
import { sealMessage } from '@urgence/protocol';
import { ROUTES_FILE } from './downlink/routes';
import { AedesHarness } from './testing/aedes-harness';
import { SimulatedPost } from './testing/sim-post';
import { ptyPair } from './testing/socat';
import type { PtyPair } from './testing/socat';
import { sha256 } from './testing/wearable';

// The rigs' scenario: the gateway is killed mid-alarm and restarted; dispatch then closes
// the incident and the post must hear it although it has said nothing since the restart.
const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const DOWN = 'urgence/v1/gw/gw-rst/down';
const postKey = new Uint8Array(32).fill(3);

let harness: AedesHarness;
let pty: PtyPair;
let post: SimulatedPost;
let dir: string;
let configPath: string;
let child: ChildProcess | undefined;

test.before.each(async () => {
  harness = new AedesHarness({ gatewayId: 'gw-rst', secret: 'r' });
  await harness.start();
  pty = await ptyPair();
  dir = mkdtempSync(join(tmpdir(), 'urgence-restart-'));
  configPath = join(dir, 'gateway.json');
  const config = {
    gatewayId: 'gw-rst',
    broker: { url: harness.url, secret: 'r', reconnectMinMs: 100 },
    serial: [{ path: pty.gatewayEnd, baudRate: 115200 }],
    ble: { enabled: false },
    outbox: { dir },
    logLevel: 'error',
  };
  writeFileSync(configPath, JSON.stringify(config));
  post = await SimulatedPost.open(pty.postEnd, '0000002b', postKey);
});

test.after.each(async () => {
  await killGateway('SIGTERM');
  await post.close();
  await pty.close();
  await harness.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function startGateway(): Promise<void> {
  harness.subscribed.clear();
  child = spawn(process.execPath, ['--import', 'tsx', main, '--config', configPath], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await harness.waitFor(() => harness.subscribed.has(DOWN), 60_000);
}

async function killGateway(signal: NodeJS.Signals): Promise<void> {
  const running = child;
  child = undefined;
  if (running === undefined || running.exitCode !== null) return;
  const exited = new Promise((resolve) => running.once('exit', resolve));
  running.kill(signal);
  await exited;
}

const closeAck = (ref: number) =>
  sealMessage(sha256, '0000002b', postKey, { type: 6, ref, stage: 3 });

const downlink = (frame: Uint8Array): Buffer =>
  encode({ v: 1, link: 'serial', device: '0000002b', frame });

test('an ack for a post heard before a SIGKILL reaches it after the restart', async () => {
  await startGateway();
  post.send({ type: 1, counter: 7 });
  await harness.waitFor(() => harness.uplinks.length === 1, 60_000);
  await post.until(() => post.delivered.length === 1, 60_000);
  await killGateway('SIGKILL');

  await startGateway();
  await harness.publish(DOWN, downlink(closeAck(7)));
  await post.until(() => post.downlinks.length === 1, 60_000);
  assert.equal(post.downlinks[0], closeAck(7));
});

test('the port of an alarm still in the outbox routes its ack after a restart', async () => {
  await harness.stop(); // the alarm stays in the outbox, naming its port
  await startGatewayWithoutBroker();
  post.send({ type: 1, counter: 8 });
  await post.until(() => post.delivered.length === 1, 60_000);
  await killGateway('SIGKILL');
  rmSync(join(dir, ROUTES_FILE), { force: true }); // only the outbox is left to say where the post is

  await harness.start();
  await startGateway();
  await harness.waitFor(() => harness.uplinks.length === 1, 60_000);
  await harness.publish(DOWN, downlink(closeAck(8)));
  await post.until(() => post.downlinks.length === 1, 60_000);
  assert.equal(post.downlinks[0], closeAck(8));
});

async function startGatewayWithoutBroker(): Promise<void> {
  child = spawn(process.execPath, ['--import', 'tsx', main, '--config', configPath], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

test.run();
