// A simulated street post on the far end of a pty: seals messages with protocol/ as the
// firmware does, sends them through protocol/'s Link (retransmitting until link-acked),
// and records the acks that come down. Also writes raw bytes, for line-noise tests.
import { autoDetect } from '@serialport/bindings-cpp';
import { Link, sealMessage } from '@urgence/protocol';
import type { UplinkMessage } from '@urgence/protocol';
import { systemClock } from '../clock';
import { sha256 } from './wearable';

type Port = Awaited<ReturnType<ReturnType<typeof autoDetect>['open']>>;

export class SimulatedPost {
  /** Sequence numbers the gateway link-acked, in order. */
  readonly delivered: number[] = [];
  /** Payloads (COSE_Mac0 acks) the gateway sent down. */
  readonly downlinks: Uint8Array[] = [];
  private readonly link: Link;
  private closed = false;
  private readonly listeners: (() => void)[] = [];

  private constructor(
    private readonly port: Port,
    readonly deviceId: string,
    private readonly key: Uint8Array,
  ) {
    this.link = new Link({
      write: (bytes) => void this.port.write(Buffer.from(bytes)).catch(() => {}),
      timer: systemClock,
      retransmitMs: 300,
      onMessage: (payload, accept) => {
        this.downlinks.push(payload);
        accept();
        this.notify();
      },
      onDelivered: (_payload, seq) => {
        this.delivered.push(seq);
        this.notify();
      },
    });
    void this.readLoop();
  }

  static async open(
    path: string,
    deviceId: string,
    key: Uint8Array,
  ): Promise<SimulatedPost> {
    const port = await autoDetect().open({ path, baudRate: 115200 });
    return new SimulatedPost(port, deviceId, key);
  }

  send(message: UplinkMessage): Uint8Array {
    const sealed = sealMessage(sha256, this.deviceId, this.key, message);
    const queued = this.link.send(sealed);
    if (!queued.ok) throw new Error(queued.error.message);
    return sealed;
  }

  async writeRaw(bytes: Uint8Array): Promise<void> {
    await this.port.write(Buffer.from(bytes));
  }

  get pending(): number {
    return this.link.pending;
  }

  /** Resolves when `condition` holds, re-checked on each link event. */
  until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('simulated post: timed out')),
        timeoutMs,
      );
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this.listeners.splice(this.listeners.indexOf(check), 1);
        resolve();
      };
      this.listeners.push(check);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.link.close();
    await this.port.close().catch(() => {});
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private async readLoop(): Promise<void> {
    const buffer = Buffer.alloc(512);
    while (!this.closed) {
      try {
        const { bytesRead } = await this.port.read(buffer, 0, buffer.length);
        this.link.receive(new Uint8Array(buffer.subarray(0, bytesRead)));
      } catch {
        return;
      }
    }
  }
}
