// A real pseudo-terminal pair made by socat: the CLI opens one end as it would a USB serial
// port, a virtual device sits on the other. Used only by tests.

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyPair {
  /** The end the CLI opens (what a technician would pass as PORT). */
  hostPath: string;
  /** The end the virtual device reads and writes. */
  devicePath: string;
  close(): Promise<void>;
}

export async function openPtyPair(): Promise<PtyPair> {
  const directory = await mkdtemp(join(tmpdir(), 'urgence-pty-'));
  const hostPath = join(directory, 'host');
  const devicePath = join(directory, 'device');
  const socat = spawn(
    'socat',
    ['-d', '-d', `pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${devicePath}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );

  // socat logs "starting data transfer loop" once both ptys and their links exist.
  await new Promise<void>((resolve, reject) => {
    let log = '';
    socat.stderr.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('starting data transfer loop')) resolve();
    });
    socat.once('error', reject);
    socat.once('exit', (code) => reject(new Error(`socat exited (${code}): ${log}`)));
  });

  return {
    hostPath,
    devicePath,
    async close() {
      if (socat.exitCode === null) {
        const exited = new Promise((resolve) => socat.once('exit', resolve));
        socat.kill();
        await exited;
      }
      await rm(directory, { recursive: true, force: true });
    },
  };
}
