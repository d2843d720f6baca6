// test-alarm through the binary, end to end on the real parts: the built post bundle in
// the simulator (console on one pty, gateway UART on another), the real edge-gateway on
// that UART's pty, and the real broker with its ingest in this process. The CLI raises
// the alarm with urgence.testAlarm(), follows the feed and the CAP alert as dispatch,
// acknowledges and closes it, and reads each step back from the post.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import mqtt from 'mqtt';
import { FEED_ROOT, openRegistry } from '@urgence/broker';
import { parseConfig, startGateway } from '@urgence/edge-gateway';
import { ExitCode } from '../exit-codes';
import { startInProcessBroker } from '../test-support/broker-in-process';
import { builtBundle } from '../test-support/built-firmware';
import { Bench, runCli } from '../test-support/run-cli';

const postId = '0000002a';

test('a test alarm from the built post bundle goes through the real gateway and broker as a CAP Test', async () => {
  const bench = await Bench.create();
  const key = randomBytes(32);
  const gatewaySecret = randomBytes(24).toString('base64url');
  const dispatchSecret = randomBytes(24).toString('base64url');
  const registry = openRegistry(bench.registry);
  registry.addDevice({ id: postId, kind: 'post', key });
  registry.addGateway({
    id: 'gw-bench',
    secret: gatewaySecret,
    location: { lat: 48.8, lon: 2.3 },
  });
  registry.addDispatcher({ name: 'technicians', secret: dispatchSecret });
  registry.close();

  const broker = await startInProcessBroker(bench.registry, bench.directory);
  const config = { id: postId, kind: 'post', key: key.toString('hex') };
  const post = await bench.device({
    board: 'post',
    live: true,
    files: {
      '.bootcde': await builtBundle('post'),
      'urgence.json': JSON.stringify(config),
    },
  });
  const gateway = await startGateway(
    parseConfig({
      gatewayId: 'gw-bench',
      broker: { url: broker.url, secret: gatewaySecret, reconnectMinMs: 200 },
      serial: [{ path: await post.attachGatewayLink(), baudRate: 115200 }],
      outbox: { dir: join(bench.directory, 'outbox') },
      logLevel: 'error',
    }),
  );
  // Dispatch's view, kept apart from the CLI's: every CAP alert the broker retains.
  const watcher = await mqtt.connectAsync(broker.url, {
    protocolVersion: 4,
    username: 'dispatch:technicians',
    password: dispatchSecret,
    reconnectPeriod: 0,
  });
  const capAlerts = new Map<string, string>();
  watcher.on('message', (topic, payload) => capAlerts.set(topic, payload.toString()));
  await watcher.subscribeAsync(`${FEED_ROOT}cap/+`, { qos: 1 });
  try {
    const run = await runCli(
      [
        'test-alarm',
        post.port,
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
        'CAP status Test',
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
    assert.is(run.json['capStatus'], 'Test');

    const incident = String(run.json['incident']);
    const alert = capAlerts.get(`${FEED_ROOT}cap/${incident}`) ?? '';
    assert.match(alert, '<status>Test</status>');
    assert.match(alert, `<incidents>${incident}</incidents>`);
    assert.is(broker.ingest.counters().accepted > 0, true, 'the ingest accepted it');
    assert.is(await postStage(post.port), 'idle', 'the close reached the post');
  } finally {
    await watcher.endAsync();
    await gateway.stop();
    await broker.stop();
    await bench.close();
  }
});

test('a wrong dispatch password exits 7 before anything is raised', async () => {
  const bench = await Bench.create();
  openRegistry(bench.registry).close();
  const broker = await startInProcessBroker(bench.registry, bench.directory);
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

/** The post's stage once it has settled: the close ack may still be on its way down. */
async function postStage(port: string): Promise<unknown> {
  let stage: unknown;
  for (let attempt = 0; attempt < 10; attempt++) {
    const diagnosed = await runCli(['diagnose', port, '--json']);
    // Passed or failed, diagnose's JSON carries the info line it read.
    stage = (diagnosed.json['info'] as Record<string, unknown> | undefined)?.['stage'];
    if (stage === 'idle') return stage;
  }
  return stage;
}

test.run();
