// TLS with the generated development certificate, and MQTT over WebSocket.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, statSync } from 'node:fs';
import { GATEWAY_A, closed, connectGateway, loginOutcome } from './test-support';
import { startTestBroker } from './test-support';
import { gatewayTopic } from './topics';
import type { TestBroker } from './test-support';
import { ensureDevCertificate } from './dev-certificate';

let running: TestBroker;

test.before(async () => {
  running = await startTestBroker({
    tls: { port: 0, host: '127.0.0.1' },
    ws: { port: 0, host: '127.0.0.1' },
  });
});

test.after(async () => {
  await running.stop();
});

test('without configured paths a development certificate is made in the data folder', () => {
  const path = running.broker.devCertificatePath as string;
  assert.ok(path.startsWith(running.folder));
  assert.match(readFileSync(path, 'utf8'), /BEGIN CERTIFICATE/);
  assert.is(statSync(path.replace('dev-cert', 'dev-key')).mode & 0o077, 0);
});

test('the development certificate is reused on the next start', () => {
  assert.is(ensureDevCertificate(running.folder).created, false);
});

test('a gateway logs in over TLS, verifying the development certificate', async () => {
  const ca = readFileSync(running.broker.devCertificatePath as string);
  const gateway = await connectGateway(
    `mqtts://localhost:${running.broker.ports.tls}`,
    GATEWAY_A,
    {
      ca,
      rejectUnauthorized: true,
    },
  );
  assert.ok(gateway.connected);
  await gateway.endAsync();
});

test('TLS refuses a wrong secret like TCP does', async () => {
  const ca = readFileSync(running.broker.devCertificatePath as string);
  const outcome = await loginOutcome(`mqtts://localhost:${running.broker.ports.tls}`, {
    clientId: 'gw:gw-a',
    username: 'gw-a',
    password: 'not-the-secret-of-a',
    ca,
  });
  assert.is(outcome.code, 4);
});

test('a gateway logs in over WebSocket', async () => {
  const gateway = await connectGateway(`ws://127.0.0.1:${running.broker.ports.ws}/mqtt`);
  assert.ok(gateway.connected);
  await gateway.endAsync();
});

test('the packet limit applies over WebSocket too', async () => {
  const gateway = await connectGateway(`ws://127.0.0.1:${running.broker.ports.ws}/mqtt`);
  const gone = closed(gateway);
  gateway.publish(gatewayTopic(GATEWAY_A.id, 'telemetry'), Buffer.alloc(20 * 1024));
  await gone;
  gateway.end(true);
});

test.run();
