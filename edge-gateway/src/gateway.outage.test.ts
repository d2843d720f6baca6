import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { decodeMessage, mac0Decode, MessageType } from '@urgence/protocol';
import { pino } from 'pino';
import { parseConfig } from './config';
import { startGateway } from './gateway';
import { AedesHarness } from './testing/aedes-harness';
import { SimulatedPost } from './testing/sim-post';
import { ptyPair } from './testing/socat';

// The drill at full length: the broker is gone for 60 s while two posts each raise
// an alarm every second. The pacing is real time on purpose: the outage's length is what is
// under test (reconnect attempts pile up until the backoff reaches its cap).
const OUTAGE_S = 60;
const DEVICES = ['00000051', '00000052'];
const MIN_MS = 500;
const MAX_MS = 4000;

type RetryLine = { msg: string; retryInMs?: number; capped?: boolean };

function readUplink(frame: Uint8Array): { device: string; counter: number } {
  const mac0 = mac0Decode(new Uint8Array(frame));
  if (!mac0.ok) throw new Error(mac0.error.message);
  const message = decodeMessage(mac0.value.payload);
  if (!message.ok || message.value.type === MessageType.Ack)
    throw new Error('not uplink');
  const device = Buffer.from(mac0.value.kid).toString('hex');
  return { device, counter: message.value.counter };
}

test('alarms raised during a 60 s broker outage all arrive after it, in order per post', async () => {
  const harness = new AedesHarness({
    gatewayId: 'gw-out',
    secret: 's',
    ingestDelayMs: 2,
  });
  await harness.start();
  const ptys = await Promise.all(DEVICES.map(() => ptyPair()));
  const dir = mkdtempSync(join(tmpdir(), 'urgence-outage-'));
  const lines: RetryLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as RetryLine);
      done();
    },
  });
  const config = parseConfig({
    gatewayId: 'gw-out',
    broker: {
      url: harness.url,
      secret: 's',
      reconnectMinMs: MIN_MS,
      reconnectMaxMs: MAX_MS,
    },
    serial: ptys.map((p) => ({ path: p.gatewayEnd, baudRate: 115200 })),
    outbox: { dir },
    // No post is silent here; a long interval keeps fault records out of the count.
    heartbeat: { postIntervalMs: 600_000 },
  });
  const gateway = await startGateway(config, { log: pino({ level: 'warn' }, sink) });
  const posts = await Promise.all(
    ptys.map((p, i) => SimulatedPost.open(p.postEnd, DEVICES[i], new Uint8Array(32))),
  );
  try {
    await harness.waitFor(() => harness.subscribed.has('urgence/v1/gw/gw-out/down'));
    await harness.stop();
    for (let counter = 1; counter <= OUTAGE_S; counter++) {
      for (const post of posts) post.send({ type: 1, counter });
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    for (const post of posts) await post.until(() => post.delivered.length === OUTAGE_S);
    assert.is(harness.uplinks.length, 0, 'nothing could reach the broker');
    assert.is(gateway.outbox.depth, OUTAGE_S * DEVICES.length, 'every alarm stored');

    await harness.start();
    await harness.waitFor(() => harness.uplinks.length >= OUTAGE_S * DEVICES.length);
    const byDevice = new Map<string, number[]>();
    for (const uplink of harness.uplinks) {
      const { device, counter } = readUplink(uplink.frame);
      byDevice.set(device, [...(byDevice.get(device) ?? []), counter]);
    }
    const everyAlarm = Array.from({ length: OUTAGE_S }, (_, i) => i + 1);
    for (const device of DEVICES) {
      assert.equal(byDevice.get(device), everyAlarm, `post ${device}: all, in order`);
    }

    const retries = lines.filter((l) => l.msg === 'broker disconnected, retrying');
    assert.ok(
      retries.some((l) => l.capped === true),
      'the backoff reached its cap',
    );
    for (const l of retries) assert.ok((l.retryInMs ?? Infinity) <= MAX_MS * 1.5);
  } finally {
    for (const post of posts) await post.close();
    await gateway.stop();
    for (const p of ptys) await p.close();
    await harness.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
