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

test('provision then flash the built post bundle: it boots, answers as the id, passes', async () => {
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
  } finally {
    await bench.close();
  }
});

test.run();
