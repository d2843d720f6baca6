// Shared set-up for the broker's tests: a registry in a temporary folder with two
// gateways and a dispatcher, a broker on port 0, and mqtt.js clients speaking 3.1.1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import { openRegistry } from '../registry/index';
import type { Registry } from '../registry/index';
import { startBroker } from './broker';
import type { BrokerOptions, RunningBroker } from './broker';

export const GATEWAY_A = { id: 'gw-a', secret: 'secret-of-gateway-a' };
export const GATEWAY_B = { id: 'gw-b', secret: 'secret-of-gateway-b' };
export const DISPATCHER = { name: 'prefecture', secret: 'secret-of-the-prefecture' };

export interface TestBroker {
  broker: RunningBroker;
  registry: Registry;
  folder: string;
  tcpUrl: string;
  stop(): Promise<void>;
}

export async function startTestBroker(
  extra: Partial<BrokerOptions> = {},
): Promise<TestBroker> {
  const folder = mkdtempSync(join(tmpdir(), 'urgence-broker-'));
  const registry = openRegistry(join(folder, 'registry.sqlite'));
  const location = { lat: 48.85, lon: 2.35 };
  registry.addGateway({ ...GATEWAY_A, location });
  registry.addGateway({ ...GATEWAY_B, location });
  registry.addDispatcher(DISPATCHER);
  const broker = await startBroker({
    credentials: registry,
    dataDir: folder,
    tcp: { port: 0, host: '127.0.0.1' },
    ...extra,
  });
  return {
    broker,
    registry,
    folder,
    tcpUrl: `mqtt://127.0.0.1:${broker.ports.tcp}`,
    async stop() {
      await broker.close();
      registry.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

const quiet: IClientOptions = {
  protocolVersion: 4,
  reconnectPeriod: 0,
  connectTimeout: 20_000,
};

/** Connects, or rejects with the broker's refusal (its `code` is the CONNACK code). */
export function connect(url: string, options: IClientOptions): Promise<MqttClient> {
  return mqtt.connectAsync(url, { ...quiet, ...options }, false);
}

export function connectGateway(
  url: string,
  gateway = GATEWAY_A,
  extra: IClientOptions = {},
) {
  return connect(url, {
    clientId: `gw:${gateway.id}`,
    username: gateway.id,
    password: gateway.secret,
    ...extra,
  });
}

export function connectDispatcher(url: string, extra: IClientOptions = {}) {
  return connect(url, {
    clientId: 'dispatch-console-1',
    username: `dispatch:${DISPATCHER.name}`,
    password: DISPATCHER.secret,
    ...extra,
  });
}

/** The CONNACK refusal code of a login attempt, or 'connected'. */
export async function loginOutcome(url: string, options: IClientOptions) {
  try {
    const client = await connect(url, options);
    await client.endAsync();
    return { code: 0, message: 'connected' };
  } catch (error) {
    const refusal = error as { code?: number; message: string };
    return { code: refusal.code, message: refusal.message };
  }
}

export function closed(client: MqttClient): Promise<void> {
  return new Promise((resolve) => {
    if (!client.connected) return resolve();
    client.once('close', () => resolve());
  });
}

/** The QoS the broker granted for `filter`, or 128 when it refused (SUBACK 0x80). */
export async function grantedQos(client: MqttClient, filter: string, qos: 0 | 1 | 2 = 1) {
  try {
    const granted = await client.subscribeAsync(filter, { qos });
    return granted[0].qos;
  } catch (error) {
    // mqtt.js turns a 0x80 return code into an error rather than a grant.
    if (/Subscribe error/.test((error as Error).message)) return 128;
    throw error;
  }
}

/** The next message `client` receives, as [topic, payload]. */
export function nextMessage(client: MqttClient): Promise<[string, Buffer]> {
  return new Promise((resolve) => {
    client.once('message', (topic, payload) => resolve([topic, payload]));
  });
}
