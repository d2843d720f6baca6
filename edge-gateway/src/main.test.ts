import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));

function run(config: object) {
  const dir = mkdtempSync(join(tmpdir(), 'urgence-main-'));
  try {
    writeFileSync(join(dir, 'gw.json'), JSON.stringify(config));
    return spawnSync(
      process.execPath,
      ['--import', 'tsx', main, '--config', join(dir, 'gw.json')],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a bad setting stops start-up with exit 2 and one line naming it', () => {
  const result = run({
    gatewayId: 'gw-1',
    broker: { url: 'mqtt://127.0.0.1:1' },
    outbox: { dir: '/tmp/x' },
  });
  assert.is(result.status, 2);
  assert.is(result.stderr, 'config: broker.secret: missing or not a non-empty string\n');
});

test('an outbox directory that cannot be created is reported as outbox.dir', () => {
  const broker = { url: 'mqtt://127.0.0.1:1', secret: 's' };
  const result = run({ gatewayId: 'gw-1', broker, outbox: { dir: '/dev/null/outbox' } });
  assert.is(result.status, 2);
  assert.match(
    result.stderr,
    /^config: outbox\.dir: cannot use \/dev\/null\/outbox \(.+\)\n$/,
  );
});

test.run();
