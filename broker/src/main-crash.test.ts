// The durability invariant on the real thing: main.ts in a child process (registry,
// listeners, the real ingest), a gateway publishing sealed, signed alarms at QoS 2, and
// SIGKILL the instant the last PUBREC arrives. Started again on the same data folder, the
// broker has every receipted alarm as an incident, in the file and on the retained feed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Packet } from 'mqtt';
import { openRegistry } from './registry/index';
import {
  DISPATCHER,
  GATEWAY_A,
  connectDispatcher,
  connectGateway,
} from './server/test-support';
import { gatewayTopic } from './server/topics';
import { serialAlarmUplink } from './test/alarm-uplink';
import { killMain, startMain } from './test/main-child';

const POSTS = ['00000001', '00000002', '00000003'];
const key = (post: string) => new Uint8Array(32).fill(Number.parseInt(post, 16));

const alarmFrom = (post: string) => serialAlarmUplink(post, key(post), 1);

test('alarms receipted by the real ingest just before SIGKILL are incidents after restart', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'urgence-main-crash-'));
  const registry = openRegistry(join(folder, 'registry.sqlite'));
  const location = { lat: 48.8566, lon: 2.3522 };
  registry.addGateway({ ...GATEWAY_A, location });
  registry.addDispatcher(DISPATCHER);
  for (const post of POSTS)
    registry.addDevice({ id: post, kind: 'post', key: key(post), location });
  registry.close();
  const children: ChildProcess[] = [];
  try {
    const first = await startMain(folder);
    children.push(first.child);
    const gateway = await connectGateway(`mqtt://127.0.0.1:${first.ports.tcp}`);
    const up = gatewayTopic(GATEWAY_A.id, 'up');
    for (const post of POSTS.slice(0, -1)) {
      await gateway.publishAsync(up, alarmFrom(post), { qos: 2 });
    }
    // The last one: killed the instant its PUBREC (the receipt) is on the gateway's side,
    // before PUBREL, PUBCOMP or anything else the broker might still do.
    const receipted = new Promise<void>((resolve) => {
      gateway.on('packetreceive', (packet: Packet) => {
        if (packet.cmd !== 'pubrec') return;
        first.child.kill('SIGKILL');
        resolve();
      });
    });
    gateway.publish(up, alarmFrom(POSTS[POSTS.length - 1]), { qos: 2 });
    await receipted;
    await killMain(first.child);
    gateway.end(true);

    const second = await startMain(folder);
    children.push(second.child);
    const file = new Database(join(folder, 'registry.sqlite'), { readonly: true });
    const rows = file.prepare('SELECT device_id FROM incidents ORDER BY seq').all() as {
      device_id: string;
    }[];
    file.close();
    assert.equal(
      rows.map((row) => row.device_id),
      POSTS,
    );
    // Aedes kept the retained feed in memory only: the restarted ingest republished it.
    const desk = await connectDispatcher(`mqtt://127.0.0.1:${second.ports.tcp}`);
    const retained: string[] = [];
    const all = new Promise<void>((resolve) => {
      desk.on('message', (_topic, payload) => {
        retained.push((JSON.parse(payload.toString()) as { device: string }).device);
        if (retained.length === POSTS.length) resolve();
      });
    });
    await desk.subscribeAsync('urgence/v1/feed/incidents/+', { qos: 1 });
    await all;
    assert.equal(retained.sort(), POSTS);
    await desk.endAsync();
  } finally {
    for (const child of children) await killMain(child);
    rmSync(folder, { recursive: true, force: true });
  }
});

test.run();
