// A real Aedes broker on loopback for the gateway's tests, standing in for broker/: it
// authenticates the gateway, and its `published` hook records each uplink after a delay,
// the way the ingest's durable write holds PUBREC back (CONTRACTS.md, durability receipt).
import { Aedes } from 'aedes';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Server } from 'node:net';
import { decode } from 'cbor-x';
import type { UplinkEnvelope } from '../uplink/envelope';

export type HarnessOptions = {
  gatewayId: string;
  secret: string;
  /** Time the `published` hook takes for an uplink (the ingest's write). */
  ingestDelayMs?: number;
  port?: number;
  /** Serve MQTT over TLS with this key and certificate (PEM). */
  tls?: { key: Buffer; cert: Buffer };
};

export type RecordedUplink = UplinkEnvelope & { topic: string };

export class AedesHarness {
  readonly uplinks: RecordedUplink[] = [];
  readonly retained = new Map<string, string>();
  readonly telemetry: unknown[] = [];
  garbage = 0;
  /** Topics some client subscribed to (a downlink published before is lost, as in life). */
  readonly subscribed = new Set<string>();
  private readonly changes = new EventEmitter();
  private broker: Aedes | undefined;
  private server: Server | undefined;
  port = 0;

  constructor(private readonly options: HarnessOptions) {}

  get url(): string {
    const scheme = this.options.tls === undefined ? 'mqtt' : 'mqtts';
    return `${scheme}://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const { gatewayId, secret } = this.options;
    const delay = this.options.ingestDelayMs ?? 0;
    const broker = await Aedes.createBroker({
      authenticate: (_client, username, password, done) => {
        const ok = username === gatewayId && password?.toString() === secret;
        done(null, ok);
      },
      published: (packet, _client, done) => {
        if (packet.topic.endsWith('/up')) {
          let envelope: UplinkEnvelope | undefined;
          try {
            envelope = decode(packet.payload as Buffer) as UplinkEnvelope;
          } catch {
            this.garbage++; // receipted all the same, as the ingest does (CONTRACTS.md)
          }
          setTimeout(() => {
            if (envelope !== undefined)
              this.uplinks.push({ ...envelope, topic: packet.topic });
            done();
            this.changes.emit('change');
          }, delay);
          return;
        }
        if (packet.topic.endsWith('/telemetry')) {
          this.telemetry.push(JSON.parse(packet.payload.toString()));
        }
        if (packet.retain) this.retained.set(packet.topic, packet.payload.toString());
        done();
        this.changes.emit('change');
      },
    });
    broker.on('subscribe', (subscriptions) => {
      for (const s of subscriptions) this.subscribed.add(s.topic);
      this.changes.emit('change');
    });
    const tls = this.options.tls;
    const server =
      tls === undefined
        ? createServer(broker.handle)
        : createTlsServer(tls, broker.handle);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.broker = broker;
    this.server = server;
  }

  /** Publishes on the broker itself, as the ingest does for the downlink. */
  publish(topic: string, payload: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      this.broker?.publish(
        { cmd: 'publish', topic, payload, qos: 1, retain: false, dup: false },
        (error) => (error ? reject(error) : resolve()),
      );
    });
  }

  /** Stops the broker abruptly: sockets are destroyed, as when the process dies. */
  async stop(): Promise<void> {
    const server = this.server;
    const broker = this.broker;
    this.server = undefined;
    this.broker = undefined;
    await new Promise<void>((resolve) => broker?.close(() => resolve()) ?? resolve());
    await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
  }

  /** Resolves when `predicate` holds, re-checked on every message the broker records. */
  waitFor(predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.changes.off('change', check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.changes.off('change', check);
        reject(
          new Error(
            `timed out after ${timeoutMs} ms (${this.uplinks.length} uplinks so far)`,
          ),
        );
      }, timeoutMs);
      this.changes.on('change', check);
    });
  }
}
