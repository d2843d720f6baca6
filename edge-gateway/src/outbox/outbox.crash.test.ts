import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { Outbox } from './outbox';

const fixture = fileURLToPath(new URL('./crash-writer.fixture.ts', import.meta.url));

test('every append that resolved survives a SIGKILL of the writing process', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'urgence-crash-'));
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acked: number[] = [];
    let buffered = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        acked.push(...lines.map(Number));
        if (acked.length >= 1000) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
    });

    const outbox = await Outbox.open({
      dir,
      maxBytes: 256 << 20,
      log: pino({ level: 'silent' }),
    });
    const recovered = new Set<number>();
    for (let e = outbox.take(); e; e = outbox.take()) {
      recovered.add(e.seq);
      outbox.remove(e);
    }
    const lost = acked.filter((seq) => !recovered.has(seq));
    assert.equal(lost, [], `${lost.length} acknowledged appends lost`);
    await outbox.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
