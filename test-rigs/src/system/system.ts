// The system under test, as processes: the real broker (broker/src/main.ts, registry and
// ingest included) and one real gateway (gatewayProcess.ts), plus a dispatch console on
// the feed. Devices (virtual or bench) plug into the gateway's serial ports and radio.

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRegistry } from '@urgence/broker';
import type { RigSystem, SystemProcess } from '../scenarios/scenario';
import { ChildService } from './childService';
import { DispatchConsole } from './dispatchConsole';
import { radioFlag, type RadioKind } from './gatewayRadio';
import { packageEntry } from './packages';

export interface SystemOptions {
  dataDir: string;
  /** MQTT port; 0 picks a free one (kept across broker restarts). */
  mqttPort: number;
  host?: string;
  gatewayId?: string;
  gatewayLocation?: { lat: number; lon: number; label?: string };
  /** Gateway ends of the posts' serial links. */
  serialPorts: string[];
  /** The posts' heartbeat interval (their urgence.json says the same). */
  postHeartbeatMs: number;
  /** Wearable ack advertising time at the gateway. */
  wearableAckMs?: number;
  logLevel?: string;
  /**
   * virtual (default): the rig's virtual radio over IPC; real: the host's BLE adapter (a
   * bench with wearables); none: no radio (a bench of posts only).
   */
  radio?: RadioKind;
  /** Acks the gateway puts on air (to the virtual radio). */
  onAck?: (manufacturerData: Buffer, durationMs: number) => void;
}

interface Secrets {
  gateway: string;
  dispatcher: string;
}

const brokerMain = fileURLToPath(new URL('./main.ts', packageEntry('@urgence/broker')));
const gatewayMain = fileURLToPath(new URL('./gatewayProcess.ts', import.meta.url));
export const dispatcherName = 'rig';
/** Posts silent for this many heartbeats become a fault (the gateway's default is 3). */
const missedBeforeFault = 3;

export class PortTakenError extends Error {}

export class System implements RigSystem {
  readonly brokerService: ChildService;
  readonly gatewayService: ChildService;
  readonly broker: SystemProcess = {
    kill: () => this.brokerService.kill(),
    start: () => this.startBroker(),
  };
  readonly gateway: SystemProcess = {
    kill: () => this.gatewayService.kill(),
    start: async () => void (await this.gatewayService.start()),
  };
  readonly registryPath: string;
  readonly gatewayId: string;
  dispatch!: DispatchConsole;
  mqttPort: number;
  readonly silentPostBoundMs: number;
  readonly feedTimeoutMs = 20_000;
  private readonly secrets: Secrets;
  private readonly host: string;

  constructor(private readonly options: SystemOptions) {
    const { dataDir } = options;
    mkdirSync(join(dataDir, 'logs'), { recursive: true });
    this.host = options.host ?? '127.0.0.1';
    this.gatewayId = options.gatewayId ?? 'gw-rig';
    this.registryPath = join(dataDir, 'registry.sqlite');
    this.mqttPort = options.mqttPort;
    this.secrets = loadSecrets(join(dataDir, 'secrets.json'));
    // The gateway's deadline, plus one interval of phase and the hop to the feed.
    this.silentPostBoundMs = (missedBeforeFault + 1) * options.postHeartbeatMs + 10_000;

    this.brokerService = new ChildService('broker', {
      script: brokerMain,
      args: () => [],
      env: () => ({
        URGENCE_DATA_DIR: join(dataDir, 'broker'),
        URGENCE_REGISTRY: this.registryPath,
        URGENCE_MQTT_HOST: this.host,
        URGENCE_MQTT_PORT: String(this.mqttPort),
        URGENCE_TLS: 'false',
        URGENCE_LOG_LEVEL: options.logLevel ?? 'info',
        ...brokerSupervision(options.postHeartbeatMs),
      }),
      logFile: join(dataDir, 'logs', 'broker.log'),
      // Ready when it logs that it is up; with its log set above info (the fleet
      // benchmark) that line never comes, so then ready once its MQTT port accepts.
      ...(logsInfo(options.logLevel)
        ? {
            readyFromLine: (line: string) =>
              line.includes('"urgence broker up"')
                ? { type: 'ready', port: this.mqttPort }
                : undefined,
          }
        : {
            readyProbe: async () =>
              (await accepts(this.host, this.mqttPort))
                ? { type: 'ready', port: this.mqttPort }
                : undefined,
          }),
    });
    this.gatewayService = new ChildService('gateway', {
      script: gatewayMain,
      args: () => [this.writeGatewayConfig(), radioFlag(options.radio ?? 'virtual')],
      env: () => ({}),
      logFile: join(dataDir, 'logs', 'gateway.log'),
    });
    this.gatewayService.onMessage((message) => {
      if (message.type === 'ack' && typeof message.data === 'string') {
        options.onAck?.(Buffer.from(message.data, 'hex'), Number(message.durationMs));
      }
    });
  }

  get brokerUrl(): string {
    return `mqtt://${this.host}:${this.mqttPort}`;
  }

  /** Gateway and dispatcher accounts in the registry (before the broker opens it). */
  prepareRegistry(): void {
    const registry = openRegistry(this.registryPath);
    try {
      const location = this.options.gatewayLocation ?? {
        lat: 48.8584,
        lon: 2.2945,
        label: 'rig gateway',
      };
      registry.addGateway(
        { id: this.gatewayId, secret: this.secrets.gateway, location },
        { replace: true },
      );
      registry.addDispatcher(
        { name: dispatcherName, secret: this.secrets.dispatcher },
        { replace: true },
      );
    } finally {
      registry.close();
    }
  }

  async start(): Promise<void> {
    await this.startBroker();
    await this.gatewayService.start();
    this.dispatch = await DispatchConsole.connect(
      this.brokerUrl,
      dispatcherName,
      this.secrets.dispatcher,
    );
  }

  async startBroker(): Promise<void> {
    if (this.mqttPort === 0) this.mqttPort = await freePort(this.host);
    try {
      const ready = await this.brokerService.start();
      this.mqttPort = Number(ready.port);
    } catch (error) {
      const log = readTail(join(this.options.dataDir, 'logs', 'broker.log'));
      if (/EADDRINUSE|in use/i.test(log)) {
        throw new PortTakenError(`MQTT port ${this.mqttPort} on ${this.host} is taken`);
      }
      throw error;
    }
  }

  /** The radio: an advert the gateway hears (manufacturer data with the company id). */
  hear(address: string, manufacturerData: Buffer, rssi: number): void {
    this.gatewayService.send({
      type: 'advert',
      address,
      data: manufacturerData.toString('hex'),
      rssi,
    });
  }

  async stop(): Promise<void> {
    await this.dispatch?.close().catch(() => undefined);
    await this.gatewayService.close();
    await this.brokerService.close();
  }

  private writeGatewayConfig(): string {
    const path = join(this.options.dataDir, 'gateway.json');
    const config = {
      gatewayId: this.gatewayId,
      broker: {
        url: this.brokerUrl,
        secret: this.secrets.gateway,
        reconnectMinMs: 200,
        reconnectMaxMs: 1000,
      },
      serial: this.options.serialPorts.map((path) => ({ path, baudRate: 115200 })),
      outbox: { dir: join(this.options.dataDir, 'outbox') },
      heartbeat: { postIntervalMs: this.options.postHeartbeatMs, missedBeforeFault },
      ble: { enabled: this.options.radio === 'real' },
      wearableAckMs: this.options.wearableAckMs ?? 10_000,
      logLevel: this.options.logLevel ?? 'info',
    };
    writeFileSync(path, JSON.stringify(config, null, 2), { mode: 0o600 });
    return path;
  }
}

/**
 * The broker's own watch on posts, on the rig's heartbeat: silent after three missed
 * beats (as the gateway), reported within one heartbeat, checked twice per heartbeat.
 */
function brokerSupervision(postHeartbeatMs: number): Record<string, string> {
  return {
    URGENCE_POST_HEARTBEAT_MS: String(postHeartbeatMs),
    URGENCE_SUPERVISION_REPORT_MS: String(postHeartbeatMs),
    URGENCE_SUPERVISION_CHECK_MS: String(Math.max(1, Math.floor(postHeartbeatMs / 2))),
  };
}

function logsInfo(level: string | undefined): boolean {
  return ['info', 'debug', 'trace'].includes(level ?? 'info');
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

function loadSecrets(path: string): Secrets {
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as Secrets;
  const secrets = {
    gateway: randomBytes(24).toString('base64url'),
    dispatcher: randomBytes(24).toString('base64url'),
  };
  writeFileSync(path, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

function readTail(path: string): string {
  try {
    return readFileSync(path, 'utf8').slice(-4000);
  } catch {
    return '';
  }
}
