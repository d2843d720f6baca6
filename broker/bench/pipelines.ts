// The broker set-ups the throughput benchmark compares. Each starts a broker on port 0,
// says how a gateway and a dispatcher log in, makes the i-th uplink, and recognises the
// feed message that uplink caused. Add a set-up here to measure another pipeline.
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aedes } from 'aedes';
import type { IClientOptions } from 'mqtt';
import pino from 'pino';
import { openRegistry, startBroker, gatewayTopic, FEED_ROOT } from '@urgence/broker';
import type { Registry, RunningBroker, UplinkHandler } from '@urgence/broker';

export interface RunningPipeline {
  url: string;
  gateway: IClientOptions;
  dispatcher: IClientOptions;
  uplinkTopic: string;
  feedFilter: string;
  makeUplink(index: number): Buffer;
  /** The uplink index a feed message answers, or undefined for other feed traffic. */
  indexOf(topic: string, payload: Buffer): number | undefined;
  stop(): Promise<void>;
}

export interface Pipeline {
  name: string;
  start(messages: number): Promise<RunningPipeline>;
}

const GATEWAY = { id: 'gw-bench', secret: 'secret-of-the-bench-gateway' };
const DISPATCHER = { name: 'bench', secret: 'secret-of-the-bench-dispatcher' };
const UPLINK = gatewayTopic(GATEWAY.id, 'up');
const RELAY_TOPIC = `${FEED_ROOT}changes`;

/** 64-byte uplinks (DESIGN.md's reference size) carrying their index. */
function indexedPayload(index: number): Buffer {
  const payload = Buffer.alloc(64);
  payload.writeUInt32BE(index, 0);
  return payload;
}

const relayIndex = (topic: string, payload: Buffer) =>
  topic === RELAY_TOPIC && payload.length === 64 ? payload.readUInt32BE(0) : undefined;

const anonymous = (clientId: string): IClientOptions => ({ clientId });

/** Aedes as it comes, its `published` hook relaying each uplink to the feed. */
export const bareAedes: Pipeline = {
  name: 'bare Aedes (relay hook)',
  async start() {
    const aedes = await Aedes.createBroker({
      published: (packet, _client, done) => {
        if (packet.topic !== UPLINK) return done(null);
        const relay = {
          cmd: 'publish' as const,
          topic: RELAY_TOPIC,
          payload: packet.payload,
        };
        aedes.publish({ ...relay, qos: 0, retain: false, dup: false }, () => done(null));
      },
    });
    // Same socket option as startBroker's listeners, so that Nagle is not what differs.
    const server = createServer((socket) => aedes.handle(socket.setNoDelay(true)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    return {
      url: `mqtt://127.0.0.1:${port}`,
      gateway: anonymous(`gw:${GATEWAY.id}`),
      dispatcher: anonymous('dispatch-bench'),
      uplinkTopic: UPLINK,
      feedFilter: `${FEED_ROOT}#`,
      makeUplink: indexedPayload,
      indexOf: relayIndex,
      stop: async () => {
        await new Promise<void>((resolve) => aedes.close(() => resolve()));
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  },
};

async function securedBroker(
  onUplink: (registry: Registry, broker: () => RunningBroker) => UplinkHandler,
  prepare: (registry: Registry) => void = () => undefined,
) {
  const folder = mkdtempSync(join(tmpdir(), 'urgence-bench-'));
  const registry = openRegistry(join(folder, 'registry.sqlite'));
  registry.addGateway({ ...GATEWAY, location: { lat: 48.8566, lon: 2.3522 } });
  registry.addDispatcher(DISPATCHER);
  prepare(registry);
  const holder: { broker?: RunningBroker } = {};
  const broker = await startBroker({
    credentials: registry,
    dataDir: folder,
    tcp: { port: 0, host: '127.0.0.1' },
    onUplink: onUplink(registry, () => holder.broker as RunningBroker),
  });
  holder.broker = broker;
  return {
    registry,
    broker,
    common: {
      url: `mqtt://127.0.0.1:${broker.ports.tcp}`,
      gateway: {
        clientId: `gw:${GATEWAY.id}`,
        username: GATEWAY.id,
        password: GATEWAY.secret,
      },
      dispatcher: {
        clientId: 'dispatch-bench',
        username: `dispatch:${DISPATCHER.name}`,
        password: DISPATCHER.secret,
      },
      uplinkTopic: UPLINK,
      feedFilter: `${FEED_ROOT}#`,
    },
    stop: async () => {
      await broker.close();
      registry.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** startBroker(): logins, ACL and packet limit, with onUplink relaying to the feed. */
export const securedRelay: Pipeline = {
  name: 'auth + ACL + packet limit (relay hook)',
  async start() {
    const secured = await securedBroker(
      (_registry, broker) => async (_gateway, payload) => {
        await broker().publish(RELAY_TOPIC, payload, { qos: 0 });
      },
    );
    return {
      ...secured.common,
      makeUplink: indexedPayload,
      indexOf: relayIndex,
      stop: secured.stop,
    };
  },
};

const INGEST_MODULE = new URL('../src/ingest/index.ts', import.meta.url);

/**
 * startBroker() with the real ingest (broker/src/ingest): one provisioned post per
 * message, each sending one sealed alarm, recognised by its incident's retained JSON.
 */
export const securedIngest: Pipeline = {
  name: 'auth + ACL + packet limit + ingest',
  async start(messages) {
    const ingestModule = (await import(INGEST_MODULE.href)) as {
      createIngest(options: object): {
        onUplink(gatewayId: string, payload: Uint8Array): Promise<void>;
        stop(): void;
      };
      encodeUplink(envelope: object): Buffer;
    };
    const protocol = await import('@urgence/protocol');
    const sha256 = (message: Uint8Array) =>
      new Uint8Array(createHash('sha256').update(message).digest());
    const deviceId = (index: number) => (0x10000000 + index).toString(16);
    const keys: Uint8Array[] = [];
    let ingest: ReturnType<typeof ingestModule.createIngest> | undefined;

    const secured = await securedBroker(
      (registry, broker) => {
        ingest = ingestModule.createIngest({
          registry,
          publish: (topic: string, payload: Buffer | string, options: object) =>
            broker().publish(topic, payload, options),
          logger: pino({ level: 'silent' }),
        });
        const live = ingest;
        return (gatewayId, payload) => live.onUplink(gatewayId, payload);
      },
      (registry) => {
        registry.db.transaction(() => {
          for (let index = 0; index < messages; index += 1) {
            const key = new Uint8Array(
              createHash('sha256').update(`key ${index}`).digest(),
            );
            keys.push(key);
            const location = { lat: 48.85, lon: 2.35, label: `post ${index}` };
            registry.addDevice({ id: deviceId(index), kind: 'post', key, location });
          }
        })();
      },
    );
    const indexOfDevice = (device: string) => parseInt(device, 16) - 0x10000000;
    return {
      ...secured.common,
      makeUplink: (index) => {
        const alarm = { type: protocol.MessageType.Alarm, counter: 1 } as const;
        const frame = protocol.sealMessage(sha256, deviceId(index), keys[index], alarm);
        const now = Date.now();
        return ingestModule.encodeUplink({
          v: 1,
          link: 'serial',
          frame,
          firstHeard: now,
          lastHeard: now,
          copies: 1,
          outboxSeq: index + 1,
        });
      },
      indexOf: (topic, payload) => {
        if (!topic.startsWith(`${FEED_ROOT}incidents/`)) return undefined;
        const incident = JSON.parse(payload.toString()) as { device?: string };
        return incident.device === undefined ? undefined : indexOfDevice(incident.device);
      },
      stop: async () => {
        ingest?.stop();
        await secured.stop();
      },
    };
  },
};
