// A registry path that names no file is refused, whichever way it was given: a typo must
// not show an empty fleet or register a device where the broker never looks. Only
// provision and gateway add make a new registry, and only with --create-registry.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openRegistry } from '@urgence/broker';
import { ExitCode } from '../exit-codes';
import { Bench, runCli } from '../test-support/run-cli';

test('status on a registry path with no file exits 4, says what to do, creates nothing', async () => {
  const bench = await Bench.create();
  try {
    const mistyped = join(bench.directory, 'registy.sqlite');
    const run = await runCli(['status', '--registry', mistyped]);
    assert.is(run.code, ExitCode.Registry, run.stdout + run.stderr);
    assert.is(run.stdout, '');
    assert.match(run.stderr, `error: there is no registry file at ${mistyped}`);
    assert.match(run.stderr, /--registry FILE or `export URGENCE_REGISTRY=FILE`/);
    assert.match(run.stderr, /--create-registry/);
    assert.not.ok(existsSync(mistyped), 'no registry file was made');
  } finally {
    await bench.close();
  }
});

test('a missing registry named by $URGENCE_REGISTRY is refused as well', async () => {
  const bench = await Bench.create();
  try {
    const run = await runCli(['gateway', 'list', '--json'], {
      env: { URGENCE_REGISTRY: bench.registry },
    });
    assert.is(run.code, ExitCode.Registry, run.stdout + run.stderr);
    assert.is(run.json['ok'], false);
    assert.match(String(run.json['error']), bench.registry);
    assert.not.ok(existsSync(bench.registry));
  } finally {
    await bench.close();
  }
});

test('provision into a missing registry is refused before the device is touched', async () => {
  const bench = await Bench.create();
  try {
    const device = await bench.device();
    const run = await runCli([
      'provision',
      '--kind',
      'post',
      '--id',
      '0000003c',
      '--port',
      device.port,
      '--registry',
      bench.registry,
    ]);
    assert.is(run.code, ExitCode.Registry, run.stdout + run.stderr);
    assert.match(run.stderr, /no registry file/);
    assert.is(device.file('urgence.json'), undefined, 'nothing written on the device');
    assert.not.ok(existsSync(bench.registry));
  } finally {
    await bench.close();
  }
});

test('gateway add --create-registry starts a registry that later commands read', async () => {
  const bench = await Bench.create();
  try {
    const added = await runCli([
      'gateway',
      'add',
      'gw-002',
      '--location',
      '48.8,2.3',
      '--registry',
      bench.registry,
      '--create-registry',
    ]);
    assert.is(added.code, ExitCode.Ok, added.stdout + added.stderr);
    const registry = openRegistry(bench.registry);
    assert.equal(
      registry.listGateways().map((gateway) => gateway.id),
      ['gw-002'],
    );
    registry.close();

    const listed = await runCli(['gateway', 'list', '--registry', bench.registry]);
    assert.is(listed.code, ExitCode.Ok, listed.stderr);
    assert.match(listed.stdout, /gw-002/);
  } finally {
    await bench.close();
  }
});

test('monitor --registry with no file there is refused before the port is opened', async () => {
  const bench = await Bench.create();
  try {
    const run = await runCli(['monitor', '/dev/null', '--registry', bench.registry]);
    assert.is(run.code, ExitCode.Registry, run.stdout + run.stderr);
    assert.not.ok(existsSync(bench.registry));
  } finally {
    await bench.close();
  }
});

test.run();
