// The gateway's MQTT session: connects with its own credentials (TLS when configured),
// announces itself online (retained, with an offline last will), publishes the outbox with
// QoS 2 and removes an entry only in its publish callback — after PUBCOMP, which Aedes sends
// after PUBREC, which waits for the ingest's durable write (CONTRACTS.md) — and feeds the
// downlink to the gateway. Reconnects with backoff and jitter.
import { readFileSync } from 'node:fs';
import mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../clock';
import type { GatewayConfig } from '../config';
import type { Outbox, OutboxEntry } from '../outbox/outbox';
import type { GatewayCounters } from '../telemetry';
import { backoffBase, reconnectDelay } from './backoff';
import { decodeDownlink, encodeUplink } from './envelope';
import type { DownlinkEnvelope } from './envelope';
import { gatewayTopics } from './topics';

export type BrokerLinkOptions = {
  config: GatewayConfig;
  outbox: Outbox;
  counters: GatewayCounters;
  log: Logger;
  clock: Clock;
  onDownlink: (envelope: DownlinkEnvelope) => void;
  telemetry: () => object;
};

export class BrokerLink {
  private client: MqttClient | undefined;
  private readonly topics;
  private readonly inFlight = new Set<OutboxEntry>();
  /** Bumped per connection: a callback from an older connection changes nothing. */
  private generation = 0;
  private attempt = 0;
  private retryTimer: TimerHandle | undefined;
  private telemetryTimer: TimerHandle | undefined;
  private stopping = false;

  constructor(private readonly options: BrokerLinkOptions) {
    this.topics = gatewayTopics(options.config.gatewayId);
    options.outbox.onReady = () => this.pump();
  }

  /** Consecutive connection attempts that failed (0 once connected). */
  get failedAttempts(): number {
    return this.attempt;
  }

  get connected(): boolean {
    return this.client?.connected === true;
  }

  /** When the current (or last) connection came up, ms epoch; undefined if never. */
  connectedAt: number | undefined;

  start(): void {
    this.connect();
    this.telemetryTimer = this.options.clock.setInterval(
      () => this.publishTelemetry(),
      this.options.config.telemetryIntervalMs,
    );
  }

  /** Announces offline (best effort), then closes; unreceipted entries stay in the outbox. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.options.clock.clearInterval(this.telemetryTimer);
    this.options.clock.clearTimeout(this.retryTimer);
    const client = this.client;
    if (client === undefined) return;
    if (client.connected) {
      // Best effort, bounded: a broker that does not answer must not hold up shutdown.
      let timer: TimerHandle | undefined;
      await new Promise<void>((resolve) => {
        timer = this.options.clock.setTimeout(resolve, 2000);
        const offline = this.statePayload('offline');
        client.publish(this.topics.state, offline, { qos: 1, retain: true }, () =>
          resolve(),
        );
      });
      this.options.clock.clearTimeout(timer);
    }
    await client.endAsync(true);
    this.releaseAll();
  }

  private connect(): void {
    const { config, log } = this.options;
    const generation = ++this.generation;
    const client = mqtt.connect(config.broker.url, this.clientOptions());
    this.client = client;

    client.on('connect', () => {
      this.attempt = 0;
      this.connectedAt = this.options.clock.now();
      log.info({ url: config.broker.url }, 'broker connected');
      client.publish(this.topics.state, this.statePayload('online'), {
        qos: 1,
        retain: true,
      });
      client.subscribe(this.topics.down, { qos: 1 });
      this.pump();
    });
    client.on('message', (topic, payload) => {
      if (topic === this.topics.down) this.receiveDownlink(payload);
    });
    client.on('error', (error) => {
      log.error({ err: error.message }, 'broker error');
    });
    client.on('close', () => {
      if (generation !== this.generation || this.stopping) return;
      this.generation++;
      this.releaseAll();
      client.end(true);
      this.options.counters.reconnects++;
      const { reconnectMinMs, reconnectMaxMs } = config.broker;
      const attempt = this.attempt++;
      const delay = reconnectDelay(attempt, reconnectMinMs, reconnectMaxMs);
      // capped: the backoff has reached reconnectMaxMs (an operator sees a long outage).
      const capped =
        backoffBase(attempt, reconnectMinMs, reconnectMaxMs) >= reconnectMaxMs;
      log.warn({ retryInMs: delay, attempt, capped }, 'broker disconnected, retrying');
      this.retryTimer = this.options.clock.setTimeout(() => this.connect(), delay);
    });
  }

  private clientOptions(): IClientOptions {
    const { config } = this.options;
    return {
      protocolVersion: 4, // Aedes 1.x speaks MQTT 3.1.1 only (DESIGN.md)
      clientId: `gw:${config.gatewayId}`,
      username: config.broker.username,
      password: config.broker.secret,
      // A fresh client and a clean session per connection: with a resumed session the
      // broker could take a reused message id for a retransmission and swallow a new alarm
      // (MQTT-4.3.3-2); in-flight entries are simply published again (the ingest dedups).
      clean: true,
      reconnectPeriod: 0, // our own backoff with jitter, see backoff.ts
      keepalive: 15,
      connectTimeout: 10_000,
      ca:
        config.broker.caFile === undefined
          ? undefined
          : readFileSync(config.broker.caFile),
      rejectUnauthorized: true,
      will: {
        topic: this.topics.state,
        payload: this.statePayload('offline'),
        qos: 1,
        retain: true,
      },
    };
  }

  private statePayload(state: 'online' | 'offline'): Buffer {
    return Buffer.from(
      JSON.stringify({ state, at: new Date(this.options.clock.now()).toISOString() }),
    );
  }

  /** Fills the publish window: at most inFlight entries, at most one per device. */
  private pump(): void {
    const client = this.client;
    if (client === undefined || !client.connected || this.stopping) return;
    const generation = this.generation;
    while (this.inFlight.size < this.options.config.outbox.inFlight) {
      const entry = this.options.outbox.take();
      if (entry === undefined) return;
      this.inFlight.add(entry);
      client.publish(this.topics.up, encodeUplink(entry), { qos: 2 }, (error) => {
        if (generation !== this.generation || !this.inFlight.delete(entry)) return;
        if (error) {
          this.options.outbox.release(entry);
          return;
        }
        this.receipted(entry);
        this.pump();
      });
    }
  }

  private receipted(entry: OutboxEntry): void {
    this.options.outbox.remove(entry);
    this.options.counters.framesOut++;
    this.options.log.info({ device: entry.device, seq: entry.seq }, 'uplink receipted');
  }

  private releaseAll(): void {
    for (const entry of this.inFlight) this.options.outbox.release(entry);
    this.inFlight.clear();
  }

  private receiveDownlink(payload: Buffer): void {
    this.options.counters.downlink.received++;
    const decoded = decodeDownlink(payload);
    if (!decoded.ok) {
      this.options.counters.drop('bad-downlink');
      this.options.log.warn({ reason: decoded.error.message }, 'downlink dropped');
      return;
    }
    this.options.onDownlink(decoded.value);
  }

  private publishTelemetry(): void {
    if (!this.connected) return;
    this.client?.publish(
      this.topics.telemetry,
      JSON.stringify(this.options.telemetry()),
      {
        qos: 0,
      },
    );
  }
}
