// The package entry as the test rigs and the CLI use it: registry, ingest and envelopes
// from '@urgence/broker' alone, with nothing reached through internal paths.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import pino from 'pino';
import { MessageType, sealMessage } from '@urgence/protocol';
import { createIngest, decodeUplink, encodeUplink, openRegistry } from '@urgence/broker';
import type { CreateIngestOptions, IngestOptions } from '@urgence/broker';

const sha256 = (message: Uint8Array) =>
  new Uint8Array(createHash('sha256').update(message).digest());

test('createIngest from the package entry turns a post alarm into a feed incident', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'urgence-entry-'));
  const registry = openRegistry(join(dir, 'broker.db'));
  const topics: string[] = [];
  const options: IngestOptions = { capSender: 'entry-test' };
  const deps: CreateIngestOptions = {
    registry,
    logger: pino({ level: 'silent' }),
    publish: async (topic) => {
      topics.push(topic);
    },
    timers: { setInterval: () => 0, clearInterval: () => undefined },
    options,
  };
  const key = new Uint8Array(32).fill(3);
  registry.addDevice({ id: '0000002a', kind: 'post', key });
  const ingest = createIngest(deps);
  try {
    const payload = encodeUplink({
      v: 1,
      link: 'serial',
      frame: sealMessage(sha256, '0000002a', key, {
        type: MessageType.Alarm,
        counter: 1,
      }),
      firstHeard: 1,
      lastHeard: 2,
      copies: 1,
      outboxSeq: 1,
    });
    assert.ok(decodeUplink(payload).ok);
    await ingest.onUplink('gw-a', payload);
    assert.is(ingest.counters().accepted, 1);
    assert.ok(topics.includes('urgence/v1/feed/incidents/inc-000001'));
  } finally {
    ingest.stop();
    registry.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
