import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AedesHarness } from './testing/aedes-harness';

// A gateway that dies says nothing: only the last will, which the broker publishes when
// the connection drops without a DISCONNECT (MQTT-3.1.2-8), tells the broker it is gone.
const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const STATE = 'urgence/v1/gw/gw-will/state';

test('a gateway killed with SIGKILL turns its retained state offline by its last will', async () => {
  const harness = new AedesHarness({ gatewayId: 'gw-will', secret: 'w' });
  await harness.start();
  const dir = mkdtempSync(join(tmpdir(), 'urgence-will-'));
  const configPath = join(dir, 'gateway.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      gatewayId: 'gw-will',
      broker: { url: harness.url, secret: 'w' },
      outbox: { dir },
      logLevel: 'error',
    }),
  );
  let child: ChildProcess | undefined;
  const state = () =>
    JSON.parse(harness.retained.get(STATE) ?? '{}') as { state?: string };
  try {
    child = spawn(process.execPath, ['--import', 'tsx', main, '--config', configPath], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await harness.waitFor(() => state().state === 'online', 60_000);

    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGKILL'); // no offline message can be sent: the kernel closes the socket
    await exited;
    await harness.waitFor(() => state().state === 'offline', 60_000);
    assert.is(state().state, 'offline');
  } finally {
    if (child?.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await harness.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
