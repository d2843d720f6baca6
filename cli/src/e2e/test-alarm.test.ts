// test-alarm through the binary against the real broker process (registry, Aedes over TCP,
// ingest, feed, dispatch commands): the bench gateway carries the post's alarm up and the
// acks down; the CLI raises it on the post's console, acknowledges it as dispatch and sees
// the acknowledgement arrive on the post.
import { randomBytes } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openRegistry } from '@urgence/broker';
import { ExitCode } from '../exit-codes';
import { benchPostFirmware, startBenchGateway } from '../test-support/bench-gateway';
import { startBrokerProcess } from '../test-support/broker-process';
import { Bench, runCli } from '../test-support/run-cli';

test('a test alarm is acknowledged end to end and every stage is timed', async () => {
  const bench = await Bench.create();
  const key = randomBytes(32);
  const gatewaySecret = randomBytes(24).toString('base64url');
  const dispatchSecret = randomBytes(24).toString('base64url');
  const registry = openRegistry(bench.registry);
  registry.addDevice({ id: '0000002a', kind: 'post', key });
  registry.addGateway({
    id: 'gw-bench',
    secret: gatewaySecret,
    location: { lat: 48.8, lon: 2.3 },
  });
  registry.addDispatcher({ name: 'technicians', secret: dispatchSecret });
  registry.close();

  const broker = await startBrokerProcess(bench.registry, bench.directory);
  const device = await bench.device({
    files: { '.bootcde': benchPostFirmware('0000002a') },
  });
  const gateway = await startBenchGateway({
    url: broker.url,
    gatewayId: 'gw-bench',
    secret: gatewaySecret,
    device,
    deviceId: '0000002a',
    key,
  });
  try {
    const run = await runCli(
      [
        'test-alarm',
        device.port,
        '--broker',
        broker.url,
        '--dispatcher',
        'technicians',
        '--within',
        '60',
        '--json',
      ],
      { env: { URGENCE_DISPATCH_PASSWORD: dispatchSecret } },
    );
    assert.is(run.code, ExitCode.Ok, run.stdout + run.stderr);
    const stages = run.json['stages'] as { stage: string; afterMs: number }[];
    assert.equal(
      stages.map((s) => s.stage),
      [
        'raised on device',
        'incident in feed',
        'device shows received',
        'acknowledged by dispatch',
        'device shows help coming',
        'closed',
      ],
    );
    const times = stages.map((s) => s.afterMs);
    assert.equal(
      times,
      [...times].sort((a, b) => a - b),
      'stage times only grow',
    );
    assert.is(device.sim.evaluate('urgence.stage'), 'idle', 'the close reached the post');
  } finally {
    await gateway.stop();
    await broker.stop();
    await bench.close();
  }
});

test('a wrong dispatch password exits 7 before anything is raised', async () => {
  const bench = await Bench.create();
  const broker = await startBrokerProcess(bench.registry, bench.directory);
  try {
    const run = await runCli(
      ['test-alarm', '/dev/null', '--broker', broker.url, '--dispatcher', 'nobody'],
      { env: { URGENCE_DISPATCH_PASSWORD: 'not-the-password' } },
    );
    assert.is(run.code, ExitCode.BrokerUnreachable, run.stderr);
    assert.match(run.stderr, /cannot log in/);
  } finally {
    await broker.stop();
    await bench.close();
  }
});

test.run();
