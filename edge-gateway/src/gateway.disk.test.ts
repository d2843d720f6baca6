import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
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

test('a full disk is logged and reported in telemetry, the post is not acked, nothing crashes', async () => {
  const harness = new AedesHarness({ gatewayId: 'gw-full', secret: 's' });
  await harness.start();
  const pty = await ptyPair();
  const dir = mkdtempSync(join(tmpdir(), 'urgence-full-'));
  // Writes to /dev/full fail with ENOSPC: a real full disk, as the kernel reports it.
  symlinkSync('/dev/full', join(dir, 'outbox.log'));
  const lines: { level: number; msg: string; code?: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line));
      done();
    },
  });
  const config = parseConfig({
    gatewayId: 'gw-full',
    broker: { url: harness.url, secret: 's' },
    serial: [{ path: pty.gatewayEnd, baudRate: 115200 }],
    outbox: { dir },
  });
  const gateway = await startGateway(config, { log: pino({ level: 'info' }, sink) });
  const post = await SimulatedPost.open(pty.postEnd, '0000002a', new Uint8Array(32));
  try {
    post.send({ type: 1, counter: 1 });
    await eventually(() => gateway.outbox.stats.diskErrors >= 2, 'the store is retried');
    assert.equal(post.delivered, [], 'the post keeps its alarm: not acked');
    const report = gateway.report() as {
      outbox: { diskErrors: number; lastError: string };
      frames: { dropped: Record<string, number> };
    };
    assert.match(report.outbox.lastError, /^ENOSPC/);
    assert.ok(report.frames.dropped['outbox-disk-full'] >= 1);
    const logged = lines.find((l) => l.msg === 'outbox disk full: records not stored');
    assert.is(logged?.code, 'ENOSPC');
    assert.is(logged?.level, 50, 'at error level');
  } finally {
    await post.close();
    await gateway.stop();
    await pty.close();
    await harness.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
