// A pseudo-terminal pair made by socat: two device paths joined like a null-modem cable.
// Virtual posts and simulated bench instruments sit on one end, the real code on the other.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyPair {
  /** The end given to the code under test (gateway, bench driver). */
  a: string;
  /** The end the simulated device or instrument holds. */
  b: string;
  close(): Promise<void>;
}

export async function openPtyPair(timeoutMs = 10_000): Promise<PtyPair> {
  const dir = mkdtempSync(join(tmpdir(), 'urgence-pty-'));
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  // raw,echo=0: bytes pass untouched (COBS frames contain every byte value).
  const socat: ChildProcess = spawn(
    'socat',
    ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(
      () => reject(new Error(`socat gave no pty pair: ${log}`)),
      timeoutMs,
    );
    socat.once('error', (error) => {
      clearTimeout(timer);
      reject(
        new Error(
          `cannot run socat (is it installed? .ci/install-system): ${error.message}`,
        ),
      );
    });
    socat.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      // socat -d -d logs "starting data transfer loop" once both ptys exist.
      if (log.includes('starting data transfer loop')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    a,
    b,
    async close() {
      if (socat.exitCode === null) {
        const exited = new Promise((resolve) => socat.once('exit', resolve));
        socat.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
