// A maximum MQTT packet size, which Aedes 1.x lacks (its parser accepts up to 256 MB).
// Every connection's bytes pass through PacketSizeGuard before Aedes parses them, so an
// oversized packet closes the connection before its body is buffered, logged in or not.
import { Duplex } from 'node:stream';

export type OversizeReason = 'too-large' | 'malformed-length';

/**
 * Follows packet boundaries in a byte stream by reading each fixed header's remaining
 * length (MQTT 3.1.1 §2.2.3: 7 bits per byte, high bit = more, at most 4 bytes) and
 * skipping the body, without keeping any of it.
 */
export class RemainingLengthScanner {
  private state: 'type' | 'length' | 'body' = 'type';
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;
  private bodyLeft = 0;

  constructor(readonly maxPacketBytes: number) {}

  /** Returns why the stream must be closed, or undefined while every packet fits. */
  scan(chunk: Uint8Array): OversizeReason | undefined {
    let at = 0;
    while (at < chunk.length) {
      if (this.state === 'body') {
        const skipped = Math.min(this.bodyLeft, chunk.length - at);
        at += skipped;
        this.bodyLeft -= skipped;
        if (this.bodyLeft === 0) this.state = 'type';
        continue;
      }
      if (this.state === 'type') {
        at += 1;
        this.state = 'length';
        this.length = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
        continue;
      }
      const byte = chunk[at];
      at += 1;
      this.lengthBytes += 1;
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      const packetBytes = 1 + this.lengthBytes + this.length;
      if (packetBytes > this.maxPacketBytes) return 'too-large';
      if ((byte & 0x80) !== 0) {
        // §2.2.3: a fifth length byte is a protocol violation.
        if (this.lengthBytes === 4) return 'malformed-length';
        continue;
      }
      this.bodyLeft = this.length;
      this.state = this.length === 0 ? 'type' : 'body';
    }
    return undefined;
  }
}

export interface GuardOptions {
  maxPacketBytes: number;
  /** The peer's address, kept for login throttling and logs. */
  remoteAddress: string;
  onOversize: (reason: OversizeReason) => void;
}

/**
 * Wraps a connection (TCP, TLS or WebSocket stream) so that reads pass the scanner and
 * writes go straight through. Aedes is handed the guard instead of the raw connection.
 */
export class PacketSizeGuard extends Duplex {
  private readonly scanner: RemainingLengthScanner;
  readonly remoteAddress: string;

  constructor(
    private readonly inner: Duplex,
    options: GuardOptions,
  ) {
    super({ allowHalfOpen: false });
    this.remoteAddress = options.remoteAddress;
    this.scanner = new RemainingLengthScanner(options.maxPacketBytes);
    inner.on('data', (chunk: Buffer) => {
      const problem = this.scanner.scan(chunk);
      if (problem !== undefined) {
        options.onOversize(problem);
        this.destroy();
        return;
      }
      if (!this.push(chunk)) inner.pause();
    });
    inner.on('end', () => this.push(null));
    inner.on('error', (error) => this.destroy(error));
    inner.on('close', () => this.destroy());
  }

  override _read(): void {
    this.inner.resume();
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    done: (error?: Error) => void,
  ) {
    if (this.inner.write(chunk)) done();
    else this.inner.once('drain', () => done());
  }

  /**
   * Aedes (mqtt-packet) writes each packet in pieces (header, length, topic, payload)
   * inside one cork; without this they reached the socket one write, and one system
   * call, each. Corking the connection hands them on as one writev.
   */
  override _writev(
    chunks: { chunk: Buffer; encoding: BufferEncoding }[],
    done: (error?: Error) => void,
  ) {
    this.inner.cork();
    let flowing = true;
    for (const { chunk } of chunks) flowing = this.inner.write(chunk);
    this.inner.uncork();
    if (flowing) done();
    else this.inner.once('drain', () => done());
  }

  override _final(done: (error?: Error) => void): void {
    this.inner.end(() => done());
  }

  override _destroy(error: Error | null, done: (error: Error | null) => void): void {
    this.inner.destroy();
    done(error);
  }
}
