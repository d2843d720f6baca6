// The broker process: `npx tsx broker/src/main.ts` starts the registry, the MQTT
// listeners and the ingest; `... main.ts dispatcher add <name>` makes a dispatch account.
// Stops cleanly on SIGINT/SIGTERM. Settings: broker/src/config.ts.
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { ConfigError, loadConfig } from './config';
import type { BrokerConfig } from './config';
import { createIngest } from './ingest/index';
import type { Ingest } from './ingest/index';
import { openRegistry } from './registry/index';
import { PortInUseError, startBroker } from './server/index';

function stateOf(payload: Buffer): 'online' | 'offline' | undefined {
  try {
    const state = (JSON.parse(payload.toString('utf8')) as { state?: unknown }).state;
    return state === 'online' || state === 'offline' ? state : undefined;
  } catch {
    return undefined;
  }
}

async function run(config: BrokerConfig) {
  const logger = pino({ level: config.logLevel });
  const registry = openRegistry(config.registryPath);
  // Set right after the broker starts (the ingest publishes through it); until then an
  // uplink is refused, so nothing is receipted unrecorded.
  const plugged: { ingest?: Ingest } = {};

  const broker = await startBroker({
    credentials: registry,
    dataDir: config.dataDir,
    tcp: { port: config.mqtt.port, host: config.mqtt.host },
    tls: config.tls.enabled ? config.tls : false,
    ws: config.ws.enabled ? config.ws : false,
    maxPacketBytes: config.limits.maxPacketBytes,
    maxClientIdLength: config.limits.maxClientIdLength,
    throttle: config.login,
    logger,
    onUplink: async (gatewayId, payload) => {
      const ingest = plugged.ingest;
      if (ingest === undefined) throw new Error('ingest not started: no receipt yet');
      await ingest.onUplink(gatewayId, payload);
    },
    onDispatchCommand: async (dispatcher, payload) => {
      const ingest = plugged.ingest;
      if (ingest === undefined) throw new Error('ingest not started: no command');
      await ingest.onDispatchCommand(dispatcher.name, payload);
    },
  }).catch((error: unknown) => {
    registry.close();
    throw error;
  });

  const live = createIngest({
    registry,
    publish: broker.publish,
    logger,
    options: { supervision: config.supervision },
  });
  plugged.ingest = live;
  // Supervision hears of a gateway from its session as well as from its state topic, so
  // a gateway that never publishes its state is still seen going away.
  const report = (gatewayId: string, state: 'online' | 'offline') =>
    live.onGatewayState(gatewayId, state).catch((error: unknown) => {
      logger.error({ gateway: gatewayId, err: error }, 'gateway state not recorded');
    });
  broker.events.on('connected', (gatewayId) => void report(gatewayId, 'online'));
  broker.events.on('disconnected', (gatewayId) => void report(gatewayId, 'offline'));
  broker.events.on('downlinkReady', (gatewayId) => {
    live.onGatewayDownlinkReady(gatewayId).catch((error: unknown) => {
      logger.error({ gateway: gatewayId, err: error }, 'acks not re-sent');
    });
  });
  broker.events.on('state', (gatewayId, payload) => {
    const state = stateOf(payload);
    if (state === undefined)
      logger.debug({ gateway: gatewayId }, 'unreadable gateway state');
    else void report(gatewayId, state);
  });
  logger.info(
    { ports: broker.ports, registry: config.registryPath },
    'urgence broker up',
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    live.stop();
    await broker.close();
    registry.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

function dispatcherCommand(config: BrokerConfig, args: string[]) {
  const [action, name] = args;
  const registry = openRegistry(config.registryPath);
  try {
    if (action === 'add' && name !== undefined) {
      // 24 random bytes: 192 bits, far past guessing, printed once and stored hashed.
      const secret = randomBytes(24).toString('base64url');
      registry.addDispatcher({ name, secret }, { replace: args.includes('--replace') });
      process.stdout.write(`username: dispatch:${name}\npassword: ${secret}\n`);
    } else if (action === 'list') {
      process.stdout.write(
        registry
          .listDispatchers()
          .map((n) => `${n}\n`)
          .join(''),
      );
    } else if (action === 'remove' && name !== undefined) {
      registry.removeDispatcher(name);
    } else {
      throw new Error(
        'usage: main.ts dispatcher add <name> [--replace] | list | remove <name>',
      );
    }
  } finally {
    registry.close();
  }
}

async function main() {
  const args = process.argv.slice(2);
  try {
    const config = loadConfig();
    if (args[0] === 'dispatcher') dispatcherCommand(config, args.slice(1));
    else await run(config);
  } catch (error) {
    const known = error instanceof ConfigError || error instanceof PortInUseError;
    process.stderr.write(
      `urgence broker: ${known ? (error as Error).message : String(error)}\n`,
    );
    process.exit(known ? 2 : 1);
  }
}

await main();
