import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { systemClock } from '../clock';
import { parseConfig } from '../config';
import { Outbox } from '../outbox/outbox';
import { GatewayCounters } from '../telemetry';
import { AedesHarness } from '../testing/aedes-harness';
import { eventually } from '../testing/eventually';
import { BrokerLink } from './broker-link';

const log = pino({ level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'urgence-tls-'));

/** A self-signed certificate for 127.0.0.1 (it is its own CA). */
function selfSigned(name: string): { key: string; cert: string } {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.pem`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { key, cert };
}

const broker = selfSigned('broker');
const stranger = selfSigned('stranger');

async function attempt(caFile: string) {
  const harness = new AedesHarness({
    gatewayId: 'gw-tls',
    secret: 's',
    tls: { key: readFileSync(broker.key), cert: readFileSync(broker.cert) },
  });
  await harness.start();
  const outboxDir = mkdtempSync(join(dir, 'outbox-'));
  const config = parseConfig({
    gatewayId: 'gw-tls',
    broker: { url: harness.url, secret: 's', caFile, reconnectMinMs: 100 },
    outbox: { dir: outboxDir },
  });
  const outbox = await Outbox.open({ dir: outboxDir, maxBytes: 1 << 20, log });
  const link = new BrokerLink({
    config,
    outbox,
    counters: new GatewayCounters(),
    log,
    clock: systemClock,
    onDownlink: () => {},
    telemetry: () => ({}),
  });
  link.start();
  const frame = new Uint8Array([1, 2, 3]);
  await outbox.append('0000002a', 'alarm', {
    link: 'serial',
    frame,
    firstHeard: 1,
    lastHeard: 1,
    copies: 1,
  });
  return {
    harness,
    link,
    async close() {
      await link.stop();
      await outbox.close();
      await harness.stop();
    },
  };
}

test.after(() => rmSync(dir, { recursive: true, force: true }));

test('over TLS with the configured CA the uplink gets through', async () => {
  const r = await attempt(broker.cert);
  try {
    await r.harness.waitFor(() => r.harness.uplinks.length === 1);
    assert.is(r.link.connected, true);
  } finally {
    await r.close();
  }
});

test('a broker whose certificate the CA did not sign is refused', async () => {
  const r = await attempt(stranger.cert);
  try {
    await eventually(() => r.link.failedAttempts >= 2, 'two refused TLS handshakes');
    assert.is(r.link.connected, false);
    assert.is(r.harness.uplinks.length, 0);
  } finally {
    await r.close();
  }
});

test.run();
