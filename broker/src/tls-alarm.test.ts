// The alarm path over TLS as production runs it: main.ts with a certificate and key from
// configured files (signed by a test CA the clients pin, not the development one), a
// gateway sending a sealed alarm that becomes an incident for a dispatch desk on TLS too,
// and the packet size limit enforced on TLS connections, logged in or not.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { openRegistry } from './registry/index';
import { DISPATCHER, GATEWAY_A, closed } from './server/test-support';
import { connectDispatcher, connectGateway, nextMessage } from './server/test-support';
import { gatewayTopic } from './server/topics';
import { serialAlarmUplink } from './test/alarm-uplink';
import { killMain, startMain } from './test/main-child';
import type { MainChild } from './test/main-child';

const POST = '0000002a';
const postKey = new Uint8Array(32).fill(5);
const MAX_PACKET_BYTES = 4096;

/** A test CA and a server certificate it signed for localhost, as an operator has. */
function makeCertificates(folder: string) {
  const file = (name: string) => join(folder, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const p256 = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  // prettier-ignore
  openssl(
    'req', '-x509', ...p256, '-days', '2', '-subj', '/CN=urgence test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=keyCertSign',
    '-keyout', file('ca-key.pem'), '-out', file('ca.pem'),
  );
  // prettier-ignore
  openssl(
    'req', ...p256, '-subj', '/CN=localhost',
    '-keyout', file('broker-key.pem'), '-out', file('broker.csr'),
  );
  writeFileSync(file('san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  // prettier-ignore
  openssl(
    'x509', '-req', '-in', file('broker.csr'), '-CA', file('ca.pem'),
    '-CAkey', file('ca-key.pem'), '-set_serial', '1', '-days', '2',
    '-extfile', file('san.ext'), '-out', file('broker-cert.pem'),
  );
  return {
    ca: readFileSync(file('ca.pem')),
    certPath: file('broker-cert.pem'),
    keyPath: file('broker-key.pem'),
  };
}

let folder = '';
let main: MainChild;
let ca: Buffer;
let url = '';

test.before(async () => {
  folder = mkdtempSync(join(tmpdir(), 'urgence-tls-'));
  const certificates = makeCertificates(folder);
  ca = certificates.ca;
  const registry = openRegistry(join(folder, 'registry.sqlite'));
  const location = { lat: 48.8566, lon: 2.3522 };
  registry.addGateway({ ...GATEWAY_A, location });
  registry.addDispatcher(DISPATCHER);
  registry.addDevice({ id: POST, kind: 'post', key: postKey, location });
  registry.close();
  const settings = join(folder, 'broker.json');
  writeFileSync(settings, JSON.stringify({ tls: { host: '127.0.0.1' } }));
  main = await startMain(folder, {
    URGENCE_BROKER_CONFIG: settings,
    URGENCE_TLS: 'on',
    URGENCE_TLS_PORT: '0',
    URGENCE_TLS_CERT: certificates.certPath,
    URGENCE_TLS_KEY: certificates.keyPath,
    URGENCE_MAX_PACKET_BYTES: String(MAX_PACKET_BYTES),
  });
  url = `mqtts://localhost:${main.ports.tls}`;
});

test.after(async () => {
  await killMain(main.child);
  rmSync(folder, { recursive: true, force: true });
});

test('configured certificate files are used: no development certificate is made', () => {
  assert.is(existsSync(join(folder, 'tls', 'dev-cert.pem')), false);
});

test('a sealed alarm sent over TLS becomes an incident on the TLS feed', async () => {
  const pinned = { ca, rejectUnauthorized: true };
  const desk = await connectDispatcher(url, pinned);
  await desk.subscribeAsync('urgence/v1/feed/incidents/+', { qos: 1 });
  const incident = nextMessage(desk);
  const gateway = await connectGateway(url, GATEWAY_A, pinned);
  await gateway.publishAsync(
    gatewayTopic(GATEWAY_A.id, 'up'),
    serialAlarmUplink(POST, postKey, 1),
    { qos: 2 },
  );
  const [, payload] = await incident;
  const feed = JSON.parse(payload.toString()) as { device: string; state: string };
  assert.equal([feed.device, feed.state], [POST, 'new']);
  await gateway.endAsync();
  await desk.endAsync();
});

test('a gateway publishing over the packet limit on TLS is disconnected', async () => {
  const gateway = await connectGateway(url, GATEWAY_A, { ca });
  const gone = closed(gateway);
  gateway.publish(gatewayTopic(GATEWAY_A.id, 'telemetry'), Buffer.alloc(5 * 1024));
  await gone;
  gateway.end(true);
});

test('an unauthenticated TLS client announcing a 1 MiB CONNECT is disconnected', async () => {
  const socket = connectTls({
    host: '127.0.0.1',
    port: main.ports.tls,
    ca,
    servername: 'localhost',
  });
  await once(socket, 'secureConnect');
  const gone = once(socket, 'close');
  // CONNECT (0x10) with remaining length 1,048,576 = 0x80 0x80 0x40; no body follows.
  socket.write(Buffer.from([0x10, 0x80, 0x80, 0x40]));
  await gone;
  assert.ok(socket.destroyed);
});

test('a packet just within the limit on TLS keeps the gateway connected', async () => {
  const gateway = await connectGateway(url, GATEWAY_A, { ca });
  await gateway.publishAsync(
    gatewayTopic(GATEWAY_A.id, 'telemetry'),
    Buffer.alloc(3 * 1024),
    {
      qos: 1,
    },
  );
  assert.ok(gateway.connected);
  await gateway.endAsync();
});

test.run();
