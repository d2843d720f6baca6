import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { parseConfig } from './config';
import { startGateway } from './gateway';
import { AedesHarness } from './testing/aedes-harness';
import { SimulatedPost } from './testing/sim-post';
import { ptyPair } from './testing/socat';

test('a post that dies while the gateway restarts is reported silent after start-up', async () => {
  const harness = new AedesHarness({ gatewayId: 'gw-sup', secret: 's' });
  await harness.start();
  const pty = await ptyPair();
  const dir = mkdtempSync(join(tmpdir(), 'urgence-sup-'));
  const config = parseConfig({
    gatewayId: 'gw-sup',
    broker: { url: harness.url, secret: 's', reconnectMinMs: 50, reconnectMaxMs: 500 },
    serial: [{ path: pty.gatewayEnd, baudRate: 115200 }],
    outbox: { dir },
    // Long enough that the first gateway cannot see the silence before it stops.
    heartbeat: { postIntervalMs: 1000, missedBeforeFault: 3 },
  });
  const log = pino({ level: 'silent' });
  const post = await SimulatedPost.open(pty.postEnd, '0000004d', new Uint8Array(32));
  let gateway = await startGateway(config, { log });
  try {
    post.send({ type: 3, counter: 1 });
    await post.until(() => post.delivered.length === 1);
    await gateway.stop();
    await post.close(); // dies while no gateway is running

    const restartedAt = Date.now();
    gateway = await startGateway(config, { log });
    await harness.waitFor(() => harness.uplinks.some((u) => u.link === 'gateway'));
    const fault = harness.uplinks.find((u) => u.link === 'gateway');
    assert.is(fault?.event, 'post-silent');
    assert.is(fault?.device, '0000004d');
    assert.is(fault?.port, pty.gatewayEnd);
    assert.ok(
      (fault?.firstHeard ?? 0) >= restartedAt,
      'not heard since start-up: its deadline counts from there',
    );
  } finally {
    await gateway.stop();
    await pty.close();
    await harness.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
