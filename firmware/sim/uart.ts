// Espruino's serial objects (Serial1, Serial2, USB): setup, write/print/println, and
// on('data') delivering received bytes as a binary string as Espruino does. The test (or a
// pty bridge) feeds bytes in and reads what the firmware wrote.

import { bytesOf } from './radio';

type DataListener = (data: string) => void;

export class SimUart {
  baud: number | undefined;
  options: Record<string, unknown> | undefined;
  /** Everything the firmware wrote since the last take(). */
  private written: number[] = [];
  private dataListeners: DataListener[] = [];
  private wireListeners: ((bytes: Uint8Array) => void)[] = [];

  constructor(
    readonly name: string,
    private readonly onCallbackError: (error: unknown) => void,
  ) {}

  /** Serial.setup(baud, options). */
  setup(baud: number, options?: Record<string, unknown>): void {
    if (typeof baud !== 'number' || baud <= 0) throw new Error('Invalid baud rate');
    this.baud = baud;
    this.options = options;
  }

  /** Serial.write(data, ...): strings, numbers, arrays and typed arrays, like Espruino. */
  write(...items: unknown[]): void {
    const bytes: number[] = [];
    for (const item of items) bytes.push(...bytesOf(item));
    this.emitWire(Uint8Array.from(bytes));
  }

  print(text: unknown): void {
    this.emitWire(bytesOf(String(text)));
  }

  println(text: unknown): void {
    this.emitWire(bytesOf(String(text) + '\r\n'));
  }

  on(event: string, listener: DataListener): void {
    if (event === 'data') this.dataListeners.push(listener);
  }

  removeAllListeners(event?: string): void {
    if (event === undefined || event === 'data') this.dataListeners = [];
  }

  /** Test handle: bytes arriving on the wire (delivered as one 'data' event). */
  feed(bytes: Uint8Array | string): void {
    const data = typeof bytes === 'string' ? bytes : String.fromCharCode(...bytes);
    if (data.length === 0) return;
    // Without setup() a UART does not receive (a port that is never set up stays off).
    if (this.baud === undefined && this.name !== 'USB') return;
    for (const listener of [...this.dataListeners]) {
      try {
        listener(data);
      } catch (error) {
        this.onCallbackError(error);
      }
    }
  }

  /** Test handle: the bytes written so far, then forgets them. */
  take(): Uint8Array {
    const out = Uint8Array.from(this.written);
    this.written = [];
    return out;
  }

  /** Bridge handle (pty): called with every chunk the firmware writes. */
  onWire(listener: (bytes: Uint8Array) => void): () => void {
    this.wireListeners.push(listener);
    return () => {
      this.wireListeners = this.wireListeners.filter(
        (candidate) => candidate !== listener,
      );
    };
  }

  powerCut(): void {
    this.dataListeners = [];
    this.baud = undefined;
    this.options = undefined;
  }

  private emitWire(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.written.push(...bytes);
    for (const listener of this.wireListeners) listener(bytes);
  }
}
