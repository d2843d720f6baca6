// A real broker for ingest tests: Aedes over TCP on port 0 with the registry's logins and
// ACL, the ingest plugged into its seams as main.ts does, and mqtt.js clients for
// gateways and dispatch. Registry contents come from a template file (scrypt is slow).
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { openRegistry } from '../../registry/index';
import type { Registry } from '../../registry/index';
import { startBroker } from '../../server/index';
import type { RunningBroker } from '../../server/index';
import { createIngest } from '../index';
import type { Ingest } from '../index';
import { POST, START, WEARABLE, postKey, wearableKey } from './world';

export const GATEWAYS = ['gw-a', 'gw-b', 'gw-c'] as const;
export const GATEWAY_SECRET = 'secret-shared-by-test-gateways';
export const DISPATCH = { name: 'police', secret: 'secret-of-the-police-desk' };

let template: string | undefined;

function templateFile(): string {
  if (template !== undefined) return template;
  const dir = mkdtempSync(join(tmpdir(), 'urgence-ingest-broker-template-'));
  const registry = openRegistry(join(dir, 'broker.db'));
  registry.addDevice({
    id: POST,
    kind: 'post',
    key: postKey,
    location: { lat: 48.8566, lon: 2.3522, label: 'Hôtel de Ville' },
  });
  registry.addDevice({
    id: WEARABLE,
    kind: 'wearable',
    key: wearableKey,
    policy: 'area',
  });
  GATEWAYS.forEach((id, index) => {
    const location = { lat: 48.85 + index / 1000, lon: 2.35 };
    registry.addGateway({ id, secret: GATEWAY_SECRET, location });
  });
  registry.addDispatcher(DISPATCH);
  registry.db.pragma('wal_checkpoint(TRUNCATE)');
  registry.close();
  template = join(dir, 'broker.db');
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return template;
}

export interface Received {
  topic: string;
  payload: Buffer;
}

/** An mqtt.js client that keeps every message it receives and can wait for one. */
export class Listener {
  readonly received: Received[] = [];
  constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload) => this.received.push({ topic, payload }));
  }

  on(topic: string): Received[] {
    return this.received.filter((message) => message.topic === topic);
  }

  /** Resolves with the first message (already received or coming) that matches. */
  waitFor(match: (message: Received) => boolean, timeoutMs = 20_000): Promise<Received> {
    const found = this.received.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.client.off('message', listen);
        reject(new Error('timed out waiting for a message'));
      }, timeoutMs);
      const listen = (topic: string, payload: Buffer) => {
        if (!match({ topic, payload })) return;
        clearTimeout(timer);
        this.client.off('message', listen);
        resolve({ topic, payload });
      };
      this.client.on('message', listen);
    });
  }
}

export class BrokerWorld {
  readonly dir = mkdtempSync(join(tmpdir(), 'urgence-ingest-broker-'));
  registry!: Registry;
  broker!: RunningBroker;
  ingest!: Ingest;
  now = START;
  private readonly clients: MqttClient[] = [];

  constructor() {
    copyFileSync(templateFile(), join(this.dir, 'broker.db'));
  }

  async start(): Promise<void> {
    this.registry = openRegistry(join(this.dir, 'broker.db'));
    // The ingest needs the broker's publish and the broker needs the ingest's hooks.
    const slot: { ingest?: Ingest } = {};
    this.broker = await startBroker({
      credentials: this.registry,
      dataDir: this.dir,
      tcp: { port: 0, host: '127.0.0.1' },
      onUplink: async (gatewayId, payload) => {
        if (slot.ingest === undefined) throw new Error('ingest not ready');
        await slot.ingest.onUplink(gatewayId, payload);
      },
      onDispatchCommand: async (dispatcher, payload) => {
        if (slot.ingest === undefined) throw new Error('ingest not ready');
        await slot.ingest.onDispatchCommand(dispatcher.name, payload);
      },
    });
    slot.ingest = createIngest({
      registry: this.registry,
      publish: (topic, payload, options) => this.broker.publish(topic, payload, options),
      clock: { now: () => this.now },
      logger: pino({ level: 'silent' }),
      // Checks every second (a third of 3 s) so a test sees a fault without waiting 30 s;
      // the bound itself is driven by the world's clock.
      options: { supervision: { reportWithinMs: 3_000 } },
    });
    this.ingest = slot.ingest;
    const live = slot.ingest;
    // As main.ts does: sessions and the retained state topic (last will included).
    this.broker.events.on('connected', (id) => void live.onGatewayState(id, 'online'));
    this.broker.events.on(
      'disconnected',
      (id) => void live.onGatewayState(id, 'offline'),
    );
    this.broker.events.on('downlinkReady', (id) => void live.onGatewayDownlinkReady(id));
    this.broker.events.on('state', (id, payload) => {
      const state = (JSON.parse(payload.toString()) as { state?: string }).state;
      if (state === 'online' || state === 'offline') void live.onGatewayState(id, state);
    });
  }

  async stop(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((client) => client.endAsync(true)));
    this.ingest.stop();
    await this.broker.close();
    this.registry.close();
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async connect(options: mqtt.IClientOptions): Promise<MqttClient> {
    const url = `mqtt://127.0.0.1:${this.broker.ports.tcp}`;
    const client = await mqtt.connectAsync(url, {
      protocolVersion: 4,
      reconnectPeriod: 0,
      connectTimeout: 20_000,
      ...options,
    });
    this.clients.push(client);
    return client;
  }

  /** A gateway client subscribed to its own downlink, with its last will set. */
  async gateway(id: string): Promise<Listener> {
    const client = await this.connect({
      clientId: `gw:${id}`,
      username: id,
      password: GATEWAY_SECRET,
      will: {
        topic: `urgence/v1/gw/${id}/state`,
        payload: Buffer.from(JSON.stringify({ state: 'offline' })),
        qos: 1,
        retain: true,
      },
    });
    await client.subscribeAsync(`urgence/v1/gw/${id}/down`, { qos: 1 });
    return new Listener(client);
  }

  /** A dispatch client subscribed to the whole feed and its replies. */
  async dispatch(): Promise<Listener> {
    const client = await this.connect({
      clientId: 'dispatch-desk-1',
      username: `dispatch:${DISPATCH.name}`,
      password: DISPATCH.secret,
    });
    const listener = new Listener(client);
    await client.subscribeAsync(
      ['urgence/v1/feed/#', `urgence/v1/dispatch/replies/${DISPATCH.name}`],
      { qos: 1 },
    );
    return listener;
  }
}
