// The real post firmware, built as `npm run build -w @urgence/firmware` builds it, flashed
// by the binary into a simulated ESP32 post on a pty, then diagnosed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bundleDevice, devices } from '@urgence/firmware/build';
import { ExitCode } from '../exit-codes';
import { Bench, runCli } from '../test-support/run-cli';

async function builtPostBundle(): Promise<string> {
  const post = devices.find((device) => device.name === 'post');
  if (post === undefined) throw new Error('the firmware build lists no post device');
  return (await bundleDevice(post)).code;
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

test.run();
