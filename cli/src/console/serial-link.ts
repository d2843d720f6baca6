// A byte pipe to a serial port (USB, UART or pty) through @serialport/bindings-cpp, with
// the errors a technician can act on turned into CliErrors (missing, busy, permission).

import { autoDetect } from '@serialport/bindings-cpp';
import { CliError, ExitCode } from '../exit-codes';

export interface ByteLink {
  write(bytes: Uint8Array): Promise<void>;
  /** Registers a listener for received bytes; returns a function that removes it. */
  onData(listener: (bytes: Buffer) => void): () => void;
  close(): Promise<void>;
}

/** Espruino's default console speed on ESP32 and nRF52 boards. */
export const defaultBaudRate = 115200;

export async function openSerialLink(
  path: string,
  baudRate = defaultBaudRate,
): Promise<ByteLink> {
  const port = await autoDetect()
    .open({ path, baudRate, lock: true })
    .catch((error: unknown) => {
      throw portError(path, error);
    });

  const listeners = new Set<(bytes: Buffer) => void>();
  let closing = false;

  const readLoop = async (): Promise<void> => {
    const buffer = Buffer.alloc(4096);
    while (!closing) {
      const { bytesRead } = await port.read(buffer, 0, buffer.length);
      const bytes = Buffer.from(buffer.subarray(0, bytesRead));
      for (const listener of listeners) listener(bytes);
    }
  };
  // A read ends with `canceled` when we close; anything else is the port going away, which
  // the console layer notices as silence, so the loop just stops.
  const reading = readLoop().catch(() => undefined);

  // The binding allows one write at a time (bindings-interface): queue them.
  let writing: Promise<void> = Promise.resolve();

  return {
    write(bytes) {
      const done = writing.then(() => port.write(Buffer.from(bytes)));
      writing = done.catch(() => undefined);
      return done;
    },
    onData(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closing = true;
      if (port.isOpen) await port.close();
      await reading;
    },
  };
}

function portError(path: string, error: unknown): CliError {
  const message = error instanceof Error ? error.message : String(error);
  if (/ENOENT|No such file/i.test(message)) {
    return new CliError(
      ExitCode.PortUnavailable,
      `no serial port at ${path}`,
      'plug the cable in, then run `urgence ports` to see which ports exist',
    );
  }
  if (/EACCES|Permission denied/i.test(message)) {
    return new CliError(
      ExitCode.PortUnavailable,
      `permission denied opening ${path}`,
      'add yourself to the dialout group (`sudo usermod -aG dialout $USER`), log in again',
    );
  }
  if (/lock|EBUSY|EAGAIN/i.test(message)) {
    return new CliError(
      ExitCode.PortUnavailable,
      `${path} is in use by another program`,
      'close other terminals or `urgence monitor` sessions on that port, then retry',
    );
  }
  return new CliError(ExitCode.PortUnavailable, `cannot open ${path}: ${message}`);
}
