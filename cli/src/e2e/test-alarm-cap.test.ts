// The one failure the real broker cannot be made to show: a test incident whose CAP alert
// says Actual, which any CAP reader would dispatch help for. A plain Aedes broker carries
// the feed that this test writes by hand, standing in for the ingest; the CLI must refuse
// the test (exit 3) and close the incident rather than leave it on dispatch screens.
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { DISPATCH_COMMANDS, FEED_ROOT, repliesTopic } from '@urgence/broker';
import { ExitCode } from '../exit-codes';
import { Bench, runCli } from '../test-support/run-cli';

/** urgence.info() and a testAlarm() that says on its gateway UART it was raised. */
const postFirmware = [
  'var urgence = { info: function () { print(JSON.stringify({',
  '  version: "0.1.0", id: "0000c0a1", kind: "post", stage: "idle" })); },',
  '  testAlarm: function () { Serial2.write("T"); return true; } };',
].join('\n');

test('a test incident whose CAP alert says Actual fails with exit 3 and is closed', async () => {
  const bench = await Bench.create();
  const aedes = await Aedes.createBroker();
  const server = createServer(aedes.handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const feed = await mqtt.connectAsync(url, { protocolVersion: 4 });
  const commands: string[] = [];
  feed.on('message', (_topic, payload) => {
    const command = JSON.parse(payload.toString()) as {
      command: string;
      requestId: string;
    };
    commands.push(command.command);
    const reply = JSON.stringify({ requestId: command.requestId, ok: true });
    void feed.publishAsync(repliesTopic('technicians'), reply, { qos: 1 });
  });
  await feed.subscribeAsync(DISPATCH_COMMANDS, { qos: 1 });
  const post = await bench.device({ files: { '.bootcde': postFirmware } });
  const raised = post.sim.uart('Serial2').onWire(() => {
    const incident = { id: 'inc-000009', kind: 'test', device: '0000c0a1', state: 'new' };
    void feed.publishAsync(`${FEED_ROOT}incidents/inc-000009`, JSON.stringify(incident), {
      qos: 1,
      retain: true,
    });
    const alert = '<alert><status>Actual</status><msgType>Alert</msgType></alert>';
    void feed.publishAsync(`${FEED_ROOT}cap/inc-000009`, alert, { qos: 1, retain: true });
  });
  try {
    const run = await runCli(
      ['test-alarm', post.port, '--broker', url, '--dispatcher', 'technicians', '--json'],
      { env: { URGENCE_DISPATCH_PASSWORD: 'unused-by-plain-aedes' } },
    );
    assert.is(run.code, ExitCode.VerifyFailed, run.stdout + run.stderr);
    assert.match(String(run.json['error']), /has status Actual, not Test/);
    assert.is(run.json['capStatus'], 'Actual');
    assert.equal(commands, ['close'], 'closed, never acknowledged');
  } finally {
    raised();
    await feed.endAsync();
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    server.close();
    await bench.close();
  }
});

test.run();
