// A serial device opened through @serialport/bindings-cpp, as a byte stream with listeners.
// The bench driver talks to consoles, finger boards and relays through it; the same class
// opens socat ptys in tests, so the code path under test is the one a bench uses.

import { autoDetect } from '@serialport/bindings-cpp';
import type { SerialRef } from '../rig/rigFile';

// bindings-interface's package exports carry no "types" condition, so its interfaces are
// unreachable under moduleResolution bundler: take them from autoDetect's signature.
type Binding = ReturnType<typeof autoDetect>;
type BindingPortInterface = Awaited<ReturnType<Binding['open']>>;
export type PortInfo = Awaited<ReturnType<Binding['list']>>[number];

export type PortLister = () => Promise<PortInfo[]>;

const listPorts: PortLister = () => autoDetect().list();

/** Finds the device path of a serial reference: given directly, or by USB serial number. */
export async function resolvePort(ref: SerialRef, list = listPorts): Promise<string> {
  if (ref.port !== undefined) return ref.port;
  const ports = await list();
  const match = ports.find((port) => port.serialNumber === ref.usbSerial);
  if (match === undefined) {
    const seen = ports.map(
      (port) => `${port.path} (${port.serialNumber ?? 'no serial'})`,
    );
    throw new Error(
      `no serial port has USB serial number ${ref.usbSerial}; ` +
        `ports present: ${seen.length === 0 ? 'none' : seen.join(', ')}`,
    );
  }
  return match.path;
}

export class SerialLine {
  private readonly listeners = new Set<(bytes: Buffer) => void>();
  private closed = false;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly port: BindingPortInterface,
  ) {}

  static async open(path: string, baudRate: number): Promise<SerialLine> {
    const port = await autoDetect().open({ path, baudRate, lock: false });
    const line = new SerialLine(path, port);
    void line.readLoop();
    return line;
  }

  onData(listener: (bytes: Buffer) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Queues bytes; bindings-cpp allows one write in flight at a time. */
  write(bytes: Uint8Array | string): Promise<void> {
    const buffer =
      typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes);
    this.writing = this.writing.then(() => this.port.write(buffer));
    return this.writing;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writing.catch(() => undefined);
    await this.port.close();
  }

  private async readLoop(): Promise<void> {
    const buffer = Buffer.alloc(1024);
    while (!this.closed) {
      try {
        const { bytesRead } = await this.port.read(buffer, 0, buffer.length);
        const bytes = Buffer.from(buffer.subarray(0, bytesRead));
        for (const listener of this.listeners) listener(bytes);
      } catch {
        // A read in flight is cancelled when the port closes; any other error (the USB
        // device unplugged) also ends the loop: the owner sees writes fail after that.
        return;
      }
    }
  }
}

/** Splits a byte stream into text lines (CR/LF tolerant), as Espruino's console prints. */
export class LineSplitter {
  private partial = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(bytes: Buffer): void {
    this.partial += bytes.toString('latin1');
    const lines = this.partial.split(/\r?\n/);
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.onLine(line.replace(/\r/g, ''));
  }
}
