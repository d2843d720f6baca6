// The gateway's end of one serial line to a post: bytes from the port go through
// protocol/'s Link (COBS + CRC-16 framing, sequence numbers, retransmission); each payload
// is stored in the outbox and only then link-acked, so the post's "received" means
// "on the gateway's disk". Bad frames are counted by reason and dropped; the decoder
// resynchronises on the next delimiter, so the line recovers by itself.
import { Link } from '@urgence/protocol';
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import type { GatewayCounters } from '../telemetry';
import { SerialPortIO } from './port';
import type { PortState } from './port';

const STORE_RETRY_MS = 1000;

export type PostLinkOptions = {
  path: string;
  baudRate: number;
  log: Logger;
  clock: Clock;
  counters: GatewayCounters;
  /** Stores the payload durably; the link ack goes out only if this resolves. */
  store: (payload: Uint8Array, port: string) => Promise<void>;
  /** The post took a downlink, or the port opened: the next waiting ack may go. */
  onReady?: () => void;
  retransmitMs?: number;
};

export class PostLink {
  private readonly port: SerialPortIO;
  private readonly link: Link;
  private stopped = false;

  constructor(private readonly options: PostLinkOptions) {
    const { path, log, clock, counters } = options;
    this.port = new SerialPortIO({
      path,
      baudRate: options.baudRate,
      log,
      clock,
      onBytes: (bytes) => this.link.receive(bytes),
      onState: (state) => {
        if (state === 'open') options.onReady?.();
      },
    });
    this.link = new Link({
      write: (bytes) => void this.port.write(bytes),
      timer: clock,
      retransmitMs: options.retransmitMs,
      onMessage: (payload, accept) => this.onPayload(payload, accept),
      onDelivered: () => {
        counters.downlink.delivered++;
        options.onReady?.();
      },
      onBadFrame: (error) => {
        counters.drop(error.code);
        log.debug({ port: path, reason: error.code }, 'bad serial frame dropped');
      },
    });
  }

  get path(): string {
    return this.options.path;
  }

  get state(): PortState {
    return this.port.state;
  }

  /**
   * Open and no downlink awaiting its link ack. Acks are handed over one at a time: one
   * inside protocol/'s Link cannot be taken back, one still in the mailbox can be replaced
   * by a newer stage or dropped when its time is up.
   */
  get idle(): boolean {
    return this.port.state === 'open' && this.link.pending === 0;
  }

  /** Downlinks inside the Link not yet link-acked by the post (telemetry). */
  get downlinksPending(): number {
    return this.link.pending;
  }

  get stats() {
    return this.link.stats;
  }

  start(): void {
    this.port.start();
  }

  /** Queues a downlink frame (an ack for the post); false if the link queue is full. */
  send(frame: Uint8Array): boolean {
    const queued = this.link.send(frame);
    if (!queued.ok)
      this.options.log.warn(
        { port: this.path, reason: queued.error.code },
        'downlink refused',
      );
    return queued.ok;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.link.close();
    await this.port.stop();
  }

  private onPayload(payload: Uint8Array, accept: () => void): void {
    this.options.counters.framesIn.serial++;
    this.storeThenAck(payload, accept);
  }

  /**
   * Not acked until stored: the post keeps the message in flash and retransmits it. The
   * Link treats those retransmissions as duplicates of a payload it already handed over,
   * so the retry of the store is ours (every second, until space or disk come back).
   */
  private storeThenAck(payload: Uint8Array, accept: () => void): void {
    this.options.store(payload, this.path).then(accept, (error: Error) => {
      if (this.stopped) return;
      this.options.log.error(
        { port: this.path, err: error.message },
        'frame not stored: not acked',
      );
      this.options.clock.setTimeout(
        () => this.storeThenAck(payload, accept),
        STORE_RETRY_MS,
      );
    });
  }
}
