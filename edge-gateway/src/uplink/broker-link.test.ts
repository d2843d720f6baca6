import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'cbor-x';
import { pino } from 'pino';
import { systemClock } from '../clock';
import { parseConfig } from '../config';
import { Outbox } from '../outbox/outbox';
import { GatewayCounters } from '../telemetry';
import { AedesHarness } from '../testing/aedes-harness';
import { eventually } from '../testing/eventually';
import { BrokerLink } from './broker-link';
import type { DownlinkEnvelope } from './envelope';

const log = pino({ level: 'silent' });

type Rig = {
  harness: AedesHarness;
  outbox: Outbox;
  link: BrokerLink;
  downlinks: DownlinkEnvelope[];
  close(): Promise<void>;
};

async function rig(ingestDelayMs = 0, secret = 'right'): Promise<Rig> {
  const harness = new AedesHarness({
    gatewayId: 'gw-test',
    secret: 'right',
    ingestDelayMs,
  });
  await harness.start();
  const dir = mkdtempSync(join(tmpdir(), 'urgence-uplink-'));
  const config = parseConfig({
    gatewayId: 'gw-test',
    broker: { url: harness.url, secret, reconnectMinMs: 50, reconnectMaxMs: 200 },
    outbox: { dir },
    telemetryIntervalMs: 100,
  });
  const outbox = await Outbox.open({ dir, maxBytes: 1 << 24, log });
  const downlinks: DownlinkEnvelope[] = [];
  const link = new BrokerLink({
    config,
    outbox,
    counters: new GatewayCounters(),
    log,
    clock: systemClock,
    onDownlink: (envelope) => downlinks.push(envelope),
    telemetry: () => ({ depth: outbox.depth }),
  });
  link.start();
  return {
    harness,
    outbox,
    link,
    downlinks,
    async close() {
      await link.stop();
      await outbox.close();
      await harness.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function alarm(outbox: Outbox, device: string, counter: number) {
  const frame = new Uint8Array([0xd1, counter & 0xff, counter >> 8]);
  return outbox.append(device, 'alarm', {
    link: 'serial',
    frame,
    port: '/dev/ttyUSB0',
    firstHeard: 1000 + counter,
    lastHeard: 1000 + counter,
    copies: 1,
  });
}

test('an entry leaves the outbox only once the ingest has recorded it', async () => {
  const r = await rig(300);
  try {
    await alarm(r.outbox, '0000002a', 1);
    await r.harness.waitFor(() => r.harness.uplinks.length === 0 && r.link.connected);
    assert.is(r.outbox.depth, 1, 'still pending while the ingest writes');
    await r.harness.waitFor(() => r.harness.uplinks.length === 1);
    await eventually(() => r.outbox.depth === 0, 'receipt removes the entry');
    const [uplink] = r.harness.uplinks;
    assert.is(uplink.topic, 'urgence/v1/gw/gw-test/up');
    assert.is(uplink.outboxSeq, 1);
    assert.is(uplink.port, '/dev/ttyUSB0');
  } finally {
    await r.close();
  }
});

test('the gateway announces itself online with a retained state', async () => {
  const r = await rig();
  try {
    const topic = 'urgence/v1/gw/gw-test/state';
    await r.harness.waitFor(() => r.harness.retained.has(topic));
    assert.is(JSON.parse(r.harness.retained.get(topic)!).state, 'online');
  } finally {
    await r.close();
  }
});

test('stopping the gateway leaves a retained offline state', async () => {
  const r = await rig();
  const topic = 'urgence/v1/gw/gw-test/state';
  await r.harness.waitFor(() => r.harness.retained.has(topic));
  await r.link.stop();
  assert.is(JSON.parse(r.harness.retained.get(topic)!).state, 'offline');
  await r.close();
});

test('alarms that arrive during a broker outage are delivered after it, in order per device', async () => {
  const r = await rig();
  try {
    await r.harness.waitFor(() => r.link.connected);
    await r.harness.stop();
    for (let counter = 1; counter <= 30; counter++) {
      await alarm(r.outbox, counter % 2 === 0 ? 'aaaaaaaa' : 'bbbbbbbb', counter);
    }
    await r.harness.start();
    await r.harness.waitFor(() => r.harness.uplinks.length >= 30);
    const perDevice = (odd: number) =>
      r.harness.uplinks.map((u) => u.frame[1]).filter((c) => c % 2 === odd);
    assert.equal(perDevice(0), [2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]);
    assert.equal(perDevice(1), [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29]);
  } finally {
    await r.close();
  }
});

test('a downlink envelope reaches the gateway decoded', async () => {
  const r = await rig();
  try {
    await r.harness.waitFor(() => r.link.connected);
    const frame = new Uint8Array([1, 2, 3]);
    const topic = 'urgence/v1/gw/gw-test/down';
    await r.harness.publish(
      topic,
      encode({ v: 1, link: 'serial', device: '0000002a', frame }),
    );
    await eventually(() => r.downlinks.length > 0, 'downlink delivered');
    assert.equal(r.downlinks, [{ v: 1, link: 'serial', device: '0000002a', frame }]);
  } finally {
    await r.close();
  }
});

test('telemetry is published on its interval', async () => {
  const r = await rig();
  try {
    await r.harness.waitFor(() => r.harness.telemetry.length >= 2);
    assert.equal(r.harness.telemetry[0], { depth: 0 });
  } finally {
    await r.close();
  }
});

test('wrong credentials keep the entries in the outbox', async () => {
  const r = await rig(0, 'wrong');
  try {
    await alarm(r.outbox, '0000002a', 1);
    await eventually(() => r.link.failedAttempts >= 2, 'two refused connections');
    assert.is(r.link.connected, false);
    assert.is(r.outbox.depth, 1);
    assert.is(r.harness.uplinks.length, 0);
  } finally {
    await r.close();
  }
});

test.run();
