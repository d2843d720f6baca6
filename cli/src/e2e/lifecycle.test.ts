// rotate-key, decommission and gateway credentials through the real binary.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { openRegistry } from '@urgence/broker';
import { MessageType, openMessage, sealMessage } from '@urgence/protocol';
import { ExitCode } from '../exit-codes';
import { fakeFirmware } from '../test-support/fake-firmware';
import type { VirtualDevice } from '../test-support/virtual-device';
import { Bench, runCli } from '../test-support/run-cli';

async function provisioned(bench: Bench, id: string) {
  const device = await bench.device({ files: { '.bootcde': fakeFirmware('1.2.3') } });
  const run = await runCli([
    'provision',
    '--kind',
    'post',
    '--id',
    id,
    '--port',
    device.port,
    '--registry',
    bench.registry,
    '--create-registry',
  ]);
  assert.is(run.code, ExitCode.Ok, run.stdout + run.stderr);
  return device;
}

function deviceKey(device: VirtualDevice): string {
  return String((JSON.parse(device.file('urgence.json') ?? '{}') as { key: string }).key);
}

function validKeys(path: string, id: string): string[] {
  const registry = openRegistry(path);
  try {
    return registry.validKeys(id).map((key) => Buffer.from(key).toString('hex'));
  } finally {
    registry.close();
  }
}

const sha256 = (bytes: Uint8Array): Uint8Array =>
  createHash('sha256').update(bytes).digest();

/** Opens an alarm sealed with `keyHex` the way the ingest does, with the registry's keys. */
function alarmAccepted(registryPath: string, id: string, keyHex: string): boolean {
  const sealed = sealMessage(sha256, id, Buffer.from(keyHex, 'hex'), {
    type: MessageType.Alarm,
    counter: 1,
  });
  const registry = openRegistry(registryPath);
  try {
    return openMessage(sha256, sealed, (deviceId) => registry.validKeys(deviceId)).ok;
  } finally {
    registry.close();
  }
}

test('after rotate-key both keys verify, the device holds the new one', async () => {
  const bench = await Bench.create();
  try {
    const mini = await provisioned(bench, '00000100');
    const oldKey = deviceKey(mini);

    const run = await runCli([
      'rotate-key',
      '00000100',
      '--port',
      mini.port,
      '--registry',
      bench.registry,
      '--json',
    ]);
    assert.is(run.code, ExitCode.Ok, run.stdout + run.stderr);
    const newKey = deviceKey(mini);
    assert.is.not(newKey, oldKey);
    assert.equal(validKeys(bench.registry, '00000100'), [newKey, oldKey]);
    assert.ok(
      alarmAccepted(bench.registry, '00000100', oldKey),
      'old-key alarm accepted',
    );
    assert.ok(
      alarmAccepted(bench.registry, '00000100', newKey),
      'new-key alarm accepted',
    );
    assert.type(run.json['previousKeyValidUntil'], 'string');
    assert.not.ok(run.stdout.includes(newKey), 'the key is not printed');
  } finally {
    await bench.close();
  }
});

test('rotate-key refuses a device whose config names another id', async () => {
  const bench = await Bench.create();
  try {
    const mini = await provisioned(bench, '00000101');
    const other = await provisioned(bench, '00000102');
    const keyBefore = deviceKey(mini);
    const run = await runCli([
      'rotate-key',
      '00000101',
      '--port',
      other.port,
      '--registry',
      bench.registry,
    ]);
    assert.is(run.code, ExitCode.VerifyFailed);
    assert.match(run.stderr, /is 00000102, not 00000101/);
    assert.equal(validKeys(bench.registry, '00000101'), [keyBefore]);
  } finally {
    await bench.close();
  }
});

test('decommission leaves no key anywhere in the device storage and retires it', async () => {
  const bench = await Bench.create();
  try {
    const mini = await provisioned(bench, '00000200');
    const key = deviceKey(mini);

    const run = await runCli([
      'decommission',
      '00000200',
      '--port',
      mini.port,
      '--registry',
      bench.registry,
    ]);
    assert.is(run.code, ExitCode.Ok, run.stdout + run.stderr);
    for (const name of mini.sim.journal.names()) {
      assert.not.ok(mini.file(name)?.includes(key), `key found in ${name}`);
    }
    assert.is(mini.file('urgence.json'), undefined);
    assert.is(mini.sim.journal.stats().trashCount, 0, 'erased copies compacted away');
    assert.equal(validKeys(bench.registry, '00000200'), []);
  } finally {
    await bench.close();
  }
});

test('commands on an unknown id exit 4 before touching the device', async () => {
  const bench = await Bench.create();
  try {
    openRegistry(bench.registry).close();
    const run = await runCli([
      'decommission',
      '0badc0de',
      '--port',
      '/dev/null',
      '--registry',
      bench.registry,
    ]);
    assert.is(run.code, ExitCode.Registry);
    assert.match(run.stderr, /not in the registry/);
  } finally {
    await bench.close();
  }
});

test('a gateway secret is printed once at creation and never listed', async () => {
  const bench = await Bench.create();
  try {
    const added = await runCli([
      'gateway',
      'add',
      'gw-001',
      '--location',
      '48.8,2.3,Mairie',
      '--registry',
      bench.registry,
      '--create-registry',
      '--json',
    ]);
    assert.is(added.code, ExitCode.Ok, added.stdout + added.stderr);
    const secret = String(added.json['secret']);
    const registry = openRegistry(bench.registry);
    assert.ok(registry.verifyGateway('gw-001', secret));
    registry.close();

    const listed = await runCli([
      'gateway',
      'list',
      '--registry',
      bench.registry,
      '--json',
    ]);
    assert.match(listed.stdout, /gw-001/);
    assert.not.ok(listed.stdout.includes(secret));

    const removed = await runCli([
      'gateway',
      'remove',
      'gw-001',
      '--registry',
      bench.registry,
    ]);
    assert.is(removed.code, ExitCode.Ok);
    const after = await runCli(['gateway', 'list', '--registry', bench.registry]);
    assert.match(after.stdout, /no gateways/);
  } finally {
    await bench.close();
  }
});

test.run();
