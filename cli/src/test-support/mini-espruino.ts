// A minimal stand-in for Espruino's console, for CLI tests only: line editing (Ctrl-C, DLE
// echo-off lines, `=value` results), Storage with Espruino's write(name, data, offset, size)
// semantics, E.CRC32, atob and load(). It runs on the device end of a real pty pair. The
// firmware simulator (firmware/sim) replaces it wherever the built bundle is needed.

import { crc32 } from 'node:zlib';
import vm from 'node:vm';
import { autoDetect } from '@serialport/bindings-cpp';

type SerialPort = Awaited<ReturnType<ReturnType<typeof autoDetect>['open']>>;

export interface MiniEspruinoOptions {
  /** Storage files present at power-up (e.g. `.bootcde`). */
  files?: Record<string, string>;
  /** Fault injection: change the data of the n-th Storage.write call (0-based). */
  corruptWrite?: number;
}

export class MiniStorage {
  readonly files = new Map<string, Buffer>();
  writes = 0;

  constructor(private readonly corruptWrite: number | undefined) {}

  write(name: string, data: unknown, offset?: number, size?: number): boolean {
    let bytes = Buffer.from(
      typeof data === 'string' ? data : JSON.stringify(data),
      'latin1',
    );
    if (this.writes++ === this.corruptWrite && bytes.length > 0) {
      bytes = Buffer.from(bytes);
      bytes[0] = (bytes[0] ?? 0) ^ 0x20;
    }
    const existing = this.files.get(name);
    if (offset === undefined || offset === 0 || existing === undefined) {
      // Writing at 0 (or to a new name) starts a new file of `size`, unwritten bytes 0xFF.
      const file = Buffer.alloc(Math.max(size ?? 0, bytes.length), 0xff);
      bytes.copy(file, offset ?? 0);
      this.files.set(name, file);
      return true;
    }
    if (offset + bytes.length > existing.length) return false;
    bytes.copy(existing, offset);
    return true;
  }

  read(name: string): string | undefined {
    return this.files.get(name)?.toString('latin1');
  }

  readJSON(name: string): unknown {
    const text = this.read(name);
    return text === undefined ? undefined : JSON.parse(text);
  }

  writeJSON(name: string, value: unknown): boolean {
    return this.write(name, JSON.stringify(value));
  }

  erase(name: string): void {
    this.files.delete(name);
  }

  /** Real Storage drops erased files' bytes here; the map already holds no trash. */
  compact(): void {}

  list(): string[] {
    return [...this.files.keys()];
  }

  getFree(): number {
    return (
      1_000_000 - [...this.files.values()].reduce((sum, file) => sum + file.length, 0)
    );
  }
}

export class MiniEspruino {
  readonly storage: MiniStorage;
  private context: vm.Context;
  private line = '';
  private reloadRequested = false;
  // The binding allows one write at a time; prints queue behind each other.
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly port: SerialPort,
    options: MiniEspruinoOptions,
  ) {
    this.storage = new MiniStorage(options.corruptWrite);
    for (const [name, text] of Object.entries(options.files ?? {})) {
      this.storage.files.set(name, Buffer.from(text, 'latin1'));
    }
    this.context = this.boot();
  }

  static async attach(
    path: string,
    options: MiniEspruinoOptions = {},
  ): Promise<MiniEspruino> {
    const port = await autoDetect().open({ path, baudRate: 115200 });
    const device = new MiniEspruino(port, options);
    void device.readLoop();
    return device;
  }

  async close(): Promise<void> {
    if (this.port.isOpen) await this.port.close();
  }

  private async readLoop(): Promise<void> {
    const buffer = Buffer.alloc(4096);
    try {
      for (;;) {
        const { bytesRead } = await this.port.read(buffer, 0, buffer.length);
        for (const char of buffer.subarray(0, bytesRead).toString('latin1'))
          this.key(char);
      }
    } catch {
      // Port closed: the device is switched off.
    }
  }

  private key(char: string): void {
    if (char === '\x03') {
      this.line = '';
      return;
    }
    if (char === '\r') return;
    if (char !== '\n') {
      this.line += char;
      return;
    }
    const echoOff = this.line.startsWith('\x10');
    const code = echoOff ? this.line.slice(1) : this.line;
    this.line = '';
    if (!echoOff) this.print(code);
    this.execute(code, !echoOff);
  }

  private execute(code: string, showResult: boolean): void {
    if (code.trim() === '') return;
    try {
      const value: unknown = vm.runInContext(code, this.context);
      if (showResult) this.print('=' + String(JSON.stringify(value)));
    } catch (error) {
      this.print('Uncaught ' + String(error));
    }
    if (this.reloadRequested) {
      this.reloadRequested = false;
      this.context = this.boot();
    }
  }

  /** A fresh interpreter, as after load() or power-up: globals, then `.bootcde` if any. */
  private boot(): vm.Context {
    const context = vm.createContext({
      print: (...parts: unknown[]) => this.print(parts.map(String).join(' ')),
      console: { log: (...parts: unknown[]) => this.print(parts.map(String).join(' ')) },
      require: (module: string) => {
        if (module === 'Storage') return this.storage;
        throw new Error('Module ' + module + ' not found');
      },
      E: { CRC32: (text: string) => crc32(Buffer.from(text, 'latin1')) },
      atob: (base64: string) => Buffer.from(base64, 'base64').toString('latin1'),
      btoa: (binary: string) => Buffer.from(binary, 'latin1').toString('base64'),
      load: () => {
        this.reloadRequested = true;
      },
    });
    const boot = this.storage.read('.bootcde');
    if (boot !== undefined) {
      try {
        vm.runInContext(boot, context);
      } catch (error) {
        this.print('Uncaught ' + String(error));
      }
    }
    return context;
  }

  private print(text: string): void {
    const bytes = Buffer.from(text + '\r\n', 'latin1');
    this.writing = this.writing.then(() => this.port.write(bytes)).catch(() => undefined);
  }
}

/** A tiny firmware for the mini device: answers urgence.info() from its config file. */
export function fakeFirmware(version: string): string {
  return [
    'var config = require("Storage").readJSON("urgence.json") || {};',
    'var urgence = { info: function () { print(JSON.stringify({',
    `  version: ${JSON.stringify(version)}, id: config.id, kind: config.kind,`,
    '  battery: 97, mains: true, tamper: false, storageFree: 200000, counter: 12,',
    '  link: "up", faults: [] })); } };',
  ].join('\n');
}
