// provision → flash → diagnose through the real binary, against a virtual Espruino on a
// real pty; and the ways a flash must fail loudly.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openRegistry } from '@urgence/broker';
import { ExitCode } from '../exit-codes';
import { fakeFirmware } from '../test-support/fake-firmware';
import { Bench, runCli } from '../test-support/run-cli';

test('a bare device is provisioned, flashed, verified and diagnosed', async () => {
  const bench = await Bench.create();
  try {
    const device = await bench.device();
    const port = device.port;
    const bundle = await bench.file('post.js', fakeFirmware('1.2.3'));

    const provisioned = await runCli([
      'provision',
      '--kind',
      'post',
      '--id',
      '0000002a',
      '--port',
      port,
      '--location',
      '48.85,2.35,Rue de Rivoli',
      '--registry',
      bench.registry,
      '--create-registry',
      '--json',
    ]);
    assert.is(provisioned.code, ExitCode.Ok, provisioned.stdout + provisioned.stderr);
    const registry = openRegistry(bench.registry);
    const key = Buffer.from(registry.getDevice('0000002a')?.key ?? []).toString('hex');
    registry.close();
    const config = JSON.parse(device.file('urgence.json') ?? '{}') as Record<
      string,
      unknown
    >;
    assert.equal(config, { id: '0000002a', kind: 'post', key });
    assert.not.ok(provisioned.stdout.includes(key), 'the key is not printed');

    const flashed = await runCli([
      'flash',
      port,
      '--kind',
      'post',
      '--bundle',
      bundle,
      '--json',
    ]);
    assert.is(flashed.code, ExitCode.Ok, flashed.stdout + flashed.stderr);
    assert.is(flashed.json['version'], '1.2.3');
    assert.is(device.file('.bootcde'), fakeFirmware('1.2.3'));
    assert.is(device.file('urgence.new'), undefined, 'staging copy removed');

    const diagnosed = await runCli(['diagnose', port]);
    assert.is(diagnosed.code, ExitCode.Ok, diagnosed.stdout + diagnosed.stderr);
    assert.match(diagnosed.stdout, /PASS {2}identity +post 0000002a/);
    assert.match(diagnosed.stdout, /ALL \d+ CHECKS PASSED/);
  } finally {
    await bench.close();
  }
});

test('flashing a port nobody answers exits 2 and says the device is silent', async () => {
  const bench = await Bench.create();
  try {
    const silentPort = await bench.silentPort();
    const bundle = await bench.file('post.js', fakeFirmware('1.2.3'));
    const run = await runCli([
      'flash',
      silentPort,
      '--kind',
      'post',
      '--bundle',
      bundle,
      '--timeout',
      '900',
    ]);
    assert.is(run.code, ExitCode.DeviceSilent);
    assert.match(run.stderr, /did not answer/);
    assert.match(run.stderr, /next: /);
  } finally {
    await bench.close();
  }
});

test('a corrupted upload is caught by the checksum and the old firmware stays', async () => {
  const bench = await Bench.create();
  try {
    const device = await bench.device({
      files: { '.bootcde': fakeFirmware('1.0.0') },
      corruptUploadLine: 1,
    });
    const port = device.port;
    const bundle = await bench.file('post.js', fakeFirmware('2.0.0').repeat(8));
    const run = await runCli([
      'flash',
      port,
      '--kind',
      'post',
      '--bundle',
      bundle,
      '--chunk-size',
      '256',
      '--json',
    ]);
    assert.is(run.code, ExitCode.VerifyFailed, run.stdout + run.stderr);
    assert.match(String(run.json['error']), /does not match/);
    assert.match(String(run.json['hint']), /previous firmware is untouched/);
    assert.is(device.file('.bootcde'), fakeFirmware('1.0.0'));
  } finally {
    await bench.close();
  }
});

test('a cable pulled mid-upload exits 2, says so, and leaves the old firmware', async () => {
  const bench = await Bench.create();
  try {
    const device = await bench.device({
      files: { '.bootcde': fakeFirmware('1.0.0') },
      cutAfterUploadLines: 2,
    });
    const bundle = await bench.file('post.js', fakeFirmware('2.0.0').repeat(8));
    const run = await runCli([
      'flash',
      device.port,
      '--kind',
      'post',
      '--bundle',
      bundle,
      '--chunk-size',
      '256',
      '--timeout',
      '900',
    ]);
    assert.is(run.code, ExitCode.DeviceSilent, run.stdout + run.stderr);
    assert.match(run.stderr, /next: +the upload stopped before anything was installed/);
    assert.not.match(run.stderr, /HALF-FLASHED/);
    assert.is(device.file('.bootcde'), fakeFirmware('1.0.0'));
    // Storage.write with a total size reserves the whole file: the tail was never sent.
    assert.type(device.file('urgence.new'), 'string', 'the upload had begun');
    assert.is.not(
      device.file('urgence.new'),
      fakeFirmware('2.0.0').repeat(8),
      'cut mid-way',
    );
  } finally {
    await bench.close();
  }
});

test('a firmware answering with another version than --expect-version exits 3', async () => {
  const bench = await Bench.create();
  try {
    const device = await bench.device({ files: { '.bootcde': fakeFirmware('1.0.0') } });
    const bundle = await bench.file('post.js', fakeFirmware('2.0.0'));
    const flashWith = (version: string) =>
      runCli([
        'flash',
        device.port,
        '--kind',
        'post',
        '--bundle',
        bundle,
        '--expect-version',
        version,
        '--json',
      ]);

    const mismatch = await flashWith('2.1.0');
    assert.is(mismatch.code, ExitCode.VerifyFailed, mismatch.stdout + mismatch.stderr);
    assert.is(
      mismatch.json['error'],
      'the device restarted with firmware 2.0.0, expected 2.1.0',
    );
    assert.match(String(mismatch.json['hint']), /rebuild it/);

    const match = await flashWith('2.0.0');
    assert.is(match.code, ExitCode.Ok, match.stdout + match.stderr);
    assert.is(match.json['version'], '2.0.0');
  } finally {
    await bench.close();
  }
});

test('a post is not flashed with wearable firmware', async () => {
  const bench = await Bench.create();
  try {
    const device = await bench.device({
      files: {
        'urgence.json': JSON.stringify({ id: '0000002a', kind: 'post', key: '00' }),
      },
    });
    const bundle = await bench.file('wearable.js', fakeFirmware('1.2.3'));
    const run = await runCli([
      'flash',
      device.port,
      '--kind',
      'wearable',
      '--bundle',
      bundle,
    ]);
    assert.is(run.code, ExitCode.Usage);
    assert.match(run.stderr, /provisioned as a post/);
    assert.is(device.file('.bootcde'), undefined);
  } finally {
    await bench.close();
  }
});

test('a missing bundle is a usage error naming the build command', async () => {
  const run = await runCli([
    'flash',
    '/dev/null',
    '--kind',
    'post',
    '--bundle',
    '/nonexistent.js',
  ]);
  assert.is(run.code, ExitCode.Usage);
  assert.match(run.stderr, /npm run build -w @urgence\/firmware/);
});

test('an id already registered is refused without --replace and the device is untouched', async () => {
  const bench = await Bench.create();
  try {
    const device = await bench.device();
    const port = device.port;
    const args = [
      'provision',
      '--kind',
      'post',
      '--id',
      '0000002b',
      '--port',
      port,
      '--registry',
      bench.registry,
      '--create-registry',
    ];
    assert.is((await runCli(args)).code, ExitCode.Ok);
    const firstConfig = device.file('urgence.json');

    const again = await runCli(args);
    assert.is(again.code, ExitCode.Registry);
    assert.match(again.stderr, /already in use/);
    assert.is(device.file('urgence.json'), firstConfig);

    assert.is((await runCli([...args, '--replace'])).code, ExitCode.Ok);
    assert.is.not(device.file('urgence.json'), firstConfig);
  } finally {
    await bench.close();
  }
});

test.run();
