// The real post firmware, built as `npm run build -w @urgence/firmware` builds it, flashed
// by the binary into a simulated ESP32 post on a pty, then diagnosed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { esp32Post } from '@urgence/hardware';
import { ExitCode } from '../exit-codes';
import { builtBundle } from '../test-support/built-firmware';
import { Bench, runCli } from '../test-support/run-cli';

const builtPostBundle = (): Promise<string> => builtBundle('post');

/** A post running the built bundle, provisioned as `id` with a fresh key, its door open. */
async function doorOpenPost(bench: Bench, id: string) {
  const config = { id, kind: 'post', key: randomBytes(32).toString('hex') };
  return bench.device({
    board: 'post',
    doorOpen: true,
    files: {
      '.bootcde': await builtPostBundle(),
      'urgence.json': JSON.stringify(config),
    },
  });
}

test('the built post bundle is provisioned, flashed, diagnosed, re-keyed and retired', async () => {
  const bench = await Bench.create();
  try {
    const bundlePath = await bench.file('post.js', await builtPostBundle());
    const device = await bench.device({ board: 'post' });

    const provisioned = await runCli([
      'provision',
      '--kind',
      'post',
      '--id',
      '0000c0de',
      '--port',
      device.port,
      '--registry',
      bench.registry,
      '--create-registry',
    ]);
    assert.is(provisioned.code, ExitCode.Ok, provisioned.stdout + provisioned.stderr);

    const flashed = await runCli([
      'flash',
      device.port,
      '--kind',
      'post',
      '--bundle',
      bundlePath,
      '--json',
    ]);
    assert.is(flashed.code, ExitCode.Ok, flashed.stdout + flashed.stderr);
    assert.match(String(flashed.json['version']), /^\d+\.\d+\.\d+/);
    assert.is(device.file('.bootcde')?.length, (await builtPostBundle()).length);

    const diagnosed = await runCli(['diagnose', device.port, '--json']);
    assert.is(diagnosed.code, ExitCode.Ok, diagnosed.stdout + diagnosed.stderr);
    const info = diagnosed.json['info'] as Record<string, unknown>;
    assert.is(info['id'], '0000c0de');
    assert.is(info['kind'], 'post');

    const keyBefore = device.file('urgence.json');
    const rotated = await runCli([
      'rotate-key',
      '0000c0de',
      '--port',
      device.port,
      '--registry',
      bench.registry,
    ]);
    assert.is(rotated.code, ExitCode.Ok, rotated.stdout + rotated.stderr);
    assert.is.not(device.file('urgence.json'), keyBefore);

    const key = String(
      (JSON.parse(device.file('urgence.json') ?? '{}') as { key: string }).key,
    );
    const retired = await runCli([
      'decommission',
      '0000c0de',
      '--port',
      device.port,
      '--registry',
      bench.registry,
    ]);
    assert.is(retired.code, ExitCode.Ok, retired.stdout + retired.stderr);
    for (const name of device.sim.journal.names()) {
      assert.not.ok(device.file(name)?.includes(key), `key left in ${name}`);
    }
    // Restarted without its config, the firmware answers with no identity at all.
    const after = await runCli(['diagnose', device.port]);
    assert.is(after.code, ExitCode.ChecksFailed);
    assert.match(after.stdout, /FAIL {2}identity +not provisioned/);
  } finally {
    await bench.close();
  }
});

test('a post with its door open and a noisy gateway line fails diagnose on both', async () => {
  const bench = await Bench.create();
  try {
    const device = await doorOpenPost(bench, '0000d00e');
    // Bytes between two frame delimiters that are no frame, as a bad cable delivers.
    device.sim.uart('Serial2').feed('\x00noise on the line\x00');

    const diagnosed = await runCli(['diagnose', device.port]);
    assert.is(diagnosed.code, ExitCode.ChecksFailed, diagnosed.stdout + diagnosed.stderr);
    assert.match(diagnosed.stdout, /FAIL {2}tamper +door open/);
    assert.match(diagnosed.stdout, /FAIL {2}faults +open: tamper \(last: tamper\)/);
    assert.match(diagnosed.stdout, /FAIL {2}noise +1 bad frame\(s\) on the gateway link/);
    assert.match(diagnosed.stdout, /PASS {2}battery/);
    assert.match(diagnosed.stdout, /3 OF \d+ CHECKS FAILED: tamper, faults, noise/);
  } finally {
    await bench.close();
  }
});

test('a post whose door was opened and shut again shows the fault as cleared', async () => {
  const bench = await Bench.create();
  try {
    const device = await doorOpenPost(bench, '0000d00f');
    const opened = await runCli(['diagnose', device.port, '--json']);
    assert.is(opened.code, ExitCode.ChecksFailed, opened.stdout + opened.stderr);

    device.sim.pins.input(esp32Post.pins.tamper.pin, 0);
    // The post samples its switches every sensePollMs (1 s) on the simulator's clock.
    device.sim.advance(1000);
    const shut = await runCli(['diagnose', device.port, '--json']);
    assert.is(shut.code, ExitCode.Ok, shut.stdout + shut.stderr);
    const checks = shut.json['checks'] as {
      name: string;
      pass: boolean;
      detail: string;
    }[];
    const faults = checks.find((check) => check.name === 'faults');
    assert.equal(faults, {
      name: 'faults',
      pass: true,
      detail: 'none open (last: tamper, tamper cleared)',
    });
  } finally {
    await bench.close();
  }
});

test.run();
