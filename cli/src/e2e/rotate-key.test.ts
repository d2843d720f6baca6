// rotate-key against a running ingest: alarms must be accepted at every moment of the
// rotation. The relay in front of the post's console holds the new config's upload, so
// the test stands exactly between "registry rotated" and "device holds the new key".
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import pino from 'pino';
import { createIngest, encodeUplink, openRegistry, type Outcome } from '@urgence/broker';
import { MessageType, sealMessage } from '@urgence/protocol';
import { ExitCode } from '../exit-codes';
import { builtBundle } from '../test-support/built-firmware';
import { Bench, runCli } from '../test-support/run-cli';

const postId = '0000b0b0';
const sha256 = (bytes: Uint8Array): Uint8Array =>
  createHash('sha256').update(bytes).digest();

test('a running ingest accepts alarms under the old key mid-rotation and the new key after', async () => {
  const bench = await Bench.create();
  const oldKey = randomBytes(32);
  const seed = openRegistry(bench.registry);
  seed.addDevice({ id: postId, kind: 'post', key: oldKey });
  seed.close();
  // The broker's side: its own connection to the registry file the CLI rotates in.
  const registry = openRegistry(bench.registry);
  const ingest = createIngest({
    registry,
    publish: async () => {},
    logger: pino({ level: 'silent' }),
  });
  let counter = 0;
  /** Delivers an alarm sealed with `key` as a gateway would; returns what the ingest did. */
  const deliverAlarm = async (key: Uint8Array): Promise<Outcome[]> => {
    counter += 1;
    const frame = sealMessage(sha256, postId, key, { type: MessageType.Alarm, counter });
    const before = ingest.counters();
    await ingest.onUplink(
      'gw-bench',
      encodeUplink({
        v: 1,
        link: 'serial',
        frame,
        firstHeard: Date.now(),
        lastHeard: Date.now(),
        copies: 1,
        outboxSeq: counter,
      }),
    );
    const after = ingest.counters();
    return (Object.keys(after) as Outcome[]).filter((name) => after[name] > before[name]);
  };

  const midRotation: { keys?: number; deviceKey?: string; oldKeyAlarm?: Outcome[] } = {};
  const post = await bench.device({
    board: 'post',
    files: {
      '.bootcde': await builtBundle('post'),
      'urgence.json': JSON.stringify({
        id: postId,
        kind: 'post',
        key: oldKey.toString('hex'),
      }),
    },
    beforeUpload: {
      file: 'urgence.json',
      run: async () => {
        midRotation.keys = registry.validKeys(postId).length;
        midRotation.deviceKey = keyOnDevice();
        midRotation.oldKeyAlarm = await deliverAlarm(oldKey);
      },
    },
  });
  const keyOnDevice = (): string =>
    String((JSON.parse(post.file('urgence.json') ?? '{}') as { key?: string }).key);
  try {
    const rotated = await runCli([
      'rotate-key',
      postId,
      '--port',
      post.port,
      '--registry',
      bench.registry,
      '--timeout',
      '10000',
    ]);
    assert.is(rotated.code, ExitCode.Ok, rotated.stdout + rotated.stderr);

    assert.is(
      midRotation.keys,
      2,
      'the registry held both keys before the device changed',
    );
    assert.is(
      midRotation.deviceKey,
      oldKey.toString('hex'),
      'the device still had the old',
    );
    assert.equal(midRotation.oldKeyAlarm, ['accepted']);

    const newKey = Buffer.from(keyOnDevice(), 'hex');
    assert.is.not(newKey.toString('hex'), oldKey.toString('hex'));
    assert.equal(await deliverAlarm(newKey), ['accepted']);
    assert.equal(
      await deliverAlarm(oldKey),
      ['accepted'],
      'the old key is still in grace',
    );
    assert.equal(await deliverAlarm(randomBytes(32)), ['bad-tag'], 'any key does not do');
  } finally {
    ingest.stop();
    registry.close();
    await bench.close();
  }
});

test.run();
