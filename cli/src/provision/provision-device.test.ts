// provisionDevice as a library (what the test rigs call): the same flow as the command,
// against a virtual Espruino on a real pty.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openRegistry } from '@urgence/broker';
import { CliError, ExitCode } from '../exit-codes';
import { Bench } from '../test-support/run-cli';
import { provisionDevice } from './provision-device';

test('extra settings go into urgence.json beside the identity and key the flow made', async () => {
  const bench = await Bench.create();
  try {
    const device = await bench.device();
    const provisioned = await provisionDevice({
      id: '0000003a',
      kind: 'post',
      registry: bench.registry,
      createRegistry: true,
      port: device.port,
      // A setting may not replace the identity or the key.
      settings: { heartbeatMs: 2000, id: 7 } as Record<string, number>,
    });

    const registry = openRegistry(bench.registry);
    const stored = registry.getDevice('0000003a');
    registry.close();
    assert.equal(Buffer.from(stored?.key ?? []), provisioned.key);
    const config = JSON.parse(device.file('urgence.json') ?? '{}') as unknown;
    assert.equal(config, {
      heartbeatMs: 2000,
      id: '0000003a',
      kind: 'post',
      key: provisioned.key.toString('hex'),
    });
  } finally {
    await bench.close();
  }
});

test('an id in use is refused before the port is opened', async () => {
  const bench = await Bench.create();
  try {
    const registry = openRegistry(bench.registry);
    registry.addDevice({ id: '0000003b', kind: 'post', key: new Uint8Array(32) });
    registry.close();
    const silentPort = await bench.silentPort();

    const error = await provisionDevice({
      id: '0000003b',
      kind: 'post',
      registry: bench.registry,
      port: silentPort,
    }).catch((failure: unknown) => failure);
    assert.instance(error, CliError);
    assert.is((error as CliError).exitCode, ExitCode.Registry);
  } finally {
    await bench.close();
  }
});

test.run();
