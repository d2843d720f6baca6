// A pair of connected pseudo-terminals made by socat: one end for the gateway's serial
// link, the other for a simulated post. Stands in for a USB-serial adapter and its cable.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

export type PtyPair = { gatewayEnd: string; postEnd: string; close(): Promise<void> };

export function ptyPair(): Promise<PtyPair> {
  const socat: ChildProcess = spawn(
    'socat',
    ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    const paths: string[] = [];
    let text = '';
    socat.once('error', reject);
    socat.once('exit', (code) =>
      reject(new Error(`socat exited (${code}) before its ptys`)),
    );
    socat.stderr?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      for (const match of text.matchAll(/PTY is (\S+)/g)) {
        if (!paths.includes(match[1])) paths.push(match[1]);
      }
      if (paths.length < 2 || !/starting data transfer loop/.test(text)) return;
      socat.stderr?.removeAllListeners('data');
      socat.stderr?.resume();
      socat.removeAllListeners('exit');
      resolve({
        gatewayEnd: paths[0],
        postEnd: paths[1],
        close: () =>
          new Promise<void>((done) => {
            if (socat.exitCode !== null) return done();
            socat.once('exit', () => done());
            socat.kill('SIGTERM');
          }),
      });
    });
  });
}
