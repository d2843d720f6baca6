import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { Outbox } from './outbox/outbox';
import { AedesHarness } from './testing/aedes-harness';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const DEVICES = 10;
const PER_DEVICE = 100;

function startGatewayProcess(configPath: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', main, '--config', configPath], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

test('SIGKILL with 1,000 alarms in the outbox: after restart every alarm reaches the broker', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'urgence-kill-'));
  // 3 ms per uplink in the ingest: the kill lands while alarms are still in flight.
  const harness = new AedesHarness({
    gatewayId: 'gw-kill',
    secret: 'k',
    ingestDelayMs: 3,
  });
  let child: ChildProcess | undefined;
  try {
    const outbox = await Outbox.open({
      dir,
      maxBytes: 1 << 26,
      log: pino({ level: 'silent' }),
    });
    const appends = [];
    for (let counter = 1; counter <= PER_DEVICE; counter++) {
      for (let d = 0; d < DEVICES; d++) {
        const frame = new Uint8Array([d, counter >> 8, counter & 0xff]);
        const uplink = {
          link: 'serial' as const,
          frame,
          firstHeard: 1,
          lastHeard: 1,
          copies: 1,
        };
        appends.push(outbox.append(`0000000${d}`, 'alarm', uplink));
      }
    }
    await Promise.all(appends);
    await outbox.close();

    await harness.start();
    const configPath = join(dir, 'gateway.json');
    const config = {
      gatewayId: 'gw-kill',
      broker: { url: harness.url, secret: 'k', reconnectMinMs: 100 },
      outbox: { dir },
      logLevel: 'error',
    };
    writeFileSync(configPath, JSON.stringify(config));

    child = startGatewayProcess(configPath);
    await harness.waitFor(() => harness.uplinks.length >= 300, 120_000);
    child.kill('SIGKILL');
    await new Promise((resolve) => child?.once('exit', resolve));
    const beforeKill = harness.uplinks.length;

    child = startGatewayProcess(configPath);
    const key = (u: { frame: Uint8Array }) =>
      `${u.frame[0]}:${u.frame[1] * 256 + u.frame[2]}`;
    const distinct = () => new Set(harness.uplinks.map(key)).size;
    await harness.waitFor(() => distinct() === DEVICES * PER_DEVICE, 120_000);

    const duplicates = harness.uplinks.length - distinct();
    console.log(
      `  kill -9 after ${beforeKill} uplinks: all ${distinct()} alarms delivered, ` +
        `${duplicates} arrived twice`,
    );
    for (let d = 0; d < DEVICES; d++) {
      const firstSeen: number[] = [];
      for (const u of harness.uplinks.filter((u) => u.frame[0] === d)) {
        const counter = u.frame[1] * 256 + u.frame[2];
        if (!firstSeen.includes(counter)) firstSeen.push(counter);
      }
      assert.equal(
        firstSeen,
        [...firstSeen].sort((a, b) => a - b),
        `device ${d} in order`,
      );
    }
  } finally {
    if (child?.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child?.once('exit', resolve));
    }
    await harness.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
