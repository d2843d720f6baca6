import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { parseConfig } from './config';
import { startGateway } from './gateway';
import { AedesHarness } from './testing/aedes-harness';
import { eventually } from './testing/eventually';
import { SimulatedPost } from './testing/sim-post';
import { ptyPair } from './testing/socat';

test('info logs follow an alarm by device, counter and gateway, never showing its frame', async () => {
  const harness = new AedesHarness({ gatewayId: 'gw-logs', secret: 'very-secret' });
  await harness.start();
  const pty = await ptyPair();
  const dir = mkdtempSync(join(tmpdir(), 'urgence-logs-'));
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  const config = parseConfig({
    gatewayId: 'gw-logs',
    broker: { url: harness.url, secret: 'very-secret' },
    serial: [{ path: pty.gatewayEnd, baudRate: 115200 }],
    outbox: { dir },
  });
  const gateway = await startGateway(config, {
    log: pino({ level: 'info' }, sink),
  });
  const post = await SimulatedPost.open(
    pty.postEnd,
    '0000002a',
    new Uint8Array(32).fill(9),
  );
  try {
    const sealed = Buffer.from(post.send({ type: 1, counter: 77 }));
    await eventually(() => /uplink receipted/.test(text), 'the receipt is logged');
    const lines = text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const stored = lines.find((l) => l.msg === 'frame stored');
    assert.equal(
      { device: stored.device, counter: stored.counter, gateway: stored.gateway },
      { device: '0000002a', counter: 77, gateway: 'gw-logs' },
    );
    for (const secret of [
      sealed.toString('hex'),
      sealed.toString('base64'),
      'very-secret',
    ]) {
      assert.not.ok(text.includes(secret), 'a frame or the secret in the logs');
    }
  } finally {
    await post.close();
    await gateway.stop();
    await pty.close();
    await harness.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
