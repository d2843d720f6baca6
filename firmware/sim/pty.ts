// Real pseudo-terminals for simulated devices: socat makes a pty pair, one end is bridged
// to a simulated UART or to the console REPL, and the other end's path is handed to the
// CLI or the gateway, which open it as they would a USB serial adapter.

import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, constants } from 'node:fs';
import tty from 'node:tty';
import type { SimConsole } from './console';
import type { SimUart } from './uart';

/** Something that takes bytes from the host and produces bytes for it. */
export interface ByteEndpoint {
  write(bytes: Uint8Array): void;
  onData(listener: (bytes: Uint8Array) => void): () => void;
}

export function uartEndpoint(uart: SimUart): ByteEndpoint {
  return {
    write: (bytes) => uart.feed(bytes),
    onData: (listener) => uart.onWire(listener),
  };
}

export function consoleEndpoint(repl: SimConsole): ByteEndpoint {
  return {
    write: (bytes) => repl.input(bytes),
    onData: (listener) => repl.onOutput(listener),
  };
}

export interface PtyPair {
  /** The two pty paths socat made, e.g. ['/dev/pts/3', '/dev/pts/4']. */
  paths: [string, string];
  close(): Promise<void>;
}

/** Starts `socat -d -d pty,raw,echo=0 pty,raw,echo=0` and waits until it relays. */
export function openPtyPair(timeoutMs = 10_000): Promise<PtyPair> {
  const socat = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error('socat gave no pty pair in time: ' + log)),
      timeoutMs,
    );
    const fail = (error: Error): void => {
      clearTimeout(timer);
      socat.kill();
      reject(error);
    };
    socat.on('error', (error) =>
      fail(new Error('cannot start socat (is it installed?): ' + error.message)),
    );
    socat.on('exit', (code) =>
      fail(new Error(`socat exited (${code}) before relaying: ${log}`)),
    );
    const onLog = (chunk: Buffer): void => {
      log += chunk.toString();
      // socat -d -d logs "N PTY is /dev/pts/3" per end, then "starting data transfer loop".
      const paths = [...log.matchAll(/PTY is (\S+)/g)].map((match) => match[1]!);
      if (paths.length < 2 || !/starting data transfer loop/.test(log)) return;
      clearTimeout(timer);
      socat.removeAllListeners('exit');
      socat.stderr!.off('data', onLog);
      socat.stderr!.resume(); // keep draining socat's log so it never blocks on a full pipe
      resolve({ paths: [paths[0]!, paths[1]!], close: () => stop(socat) });
    };
    socat.stderr!.on('data', onLog);
  });
}

function stop(socat: ChildProcess): Promise<void> {
  if (socat.exitCode !== null || socat.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    socat.once('exit', () => resolve());
    socat.kill('SIGTERM');
  });
}

export interface PtyAttachment {
  /** The path the host opens (the other end is the simulated device). */
  path: string;
  close(): Promise<void>;
}

/** Bridges a simulated endpoint to a fresh pty pair; returns the host's path. */
export async function attachPty(endpoint: ByteEndpoint): Promise<PtyAttachment> {
  const pair = await openPtyPair();
  const fd = openSync(pair.paths[0], constants.O_RDWR | constants.O_NOCTTY);
  const stream = new tty.ReadStream(fd);
  stream.setRawMode(true);
  stream.on('data', (chunk: Buffer) => endpoint.write(new Uint8Array(chunk)));
  // The host closing its end makes reads fail with EIO; the bridge just stops.
  stream.on('error', () => undefined);
  const detach = endpoint.onData((bytes) => {
    if (!stream.destroyed) stream.write(Buffer.from(bytes));
  });
  return {
    path: pair.paths[1],
    close: async () => {
      detach();
      stream.destroy();
      await pair.close();
    },
  };
}
