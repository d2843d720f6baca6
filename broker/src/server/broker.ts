// startBroker(): Aedes 1.x (MQTT 3.1.1) with the registry's logins, the ACL, the packet
// size limit, and the seams the ingest plugs into (uplink and command hooks, gateway
// events, publish for the feed). Listens on TCP, TLS and optionally WebSocket.
import { readFileSync } from 'node:fs';
import { Aedes } from 'aedes';
import type { Client } from 'aedes';
import pino from 'pino';
import type { Logger } from 'pino';
import {
  createAuthenticator,
  createAuthorizer,
  identityOf,
  LoginThrottle,
} from '../auth';
import type { CredentialStore, ThrottleOptions } from '../auth';
import { ensureDevCertificate } from './dev-certificate';
import { GatewayEvents } from './gateway-events';
import { createPublishedHook } from './hooks';
import type { DispatchCommandHandler, UplinkHandler } from './hooks';
import { listenTcp, listenTls, listenWebSocket } from './listeners';
import { gatewayTopic, parseGatewayTopic } from './topics';
import { UplinksInProgress } from './uplinks-in-progress';
import type { AcceptOptions, Listener } from './listeners';
import type { PacketSizeGuard } from './packet-limit';

export interface BrokerOptions {
  credentials: CredentialStore;
  /** Where the development TLS certificate is made when `tls` names none. */
  dataDir: string;
  tcp?: { port: number; host?: string } | false;
  tls?: { port: number; host?: string; certPath?: string; keyPath?: string } | false;
  ws?: { port: number; host?: string } | false;
  /** Largest MQTT packet accepted, fixed header included (default 16 KiB). */
  maxPacketBytes?: number;
  /** Longest client id accepted (default 64: room for `gw:` + a 32-character id). */
  maxClientIdLength?: number;
  throttle?: ThrottleOptions;
  logger?: Logger;
  /** Records an uplink durably; its promise gates the QoS 2 receipt. Without it, no
   * uplink is receipted. */
  onUplink?: UplinkHandler;
  onDispatchCommand?: DispatchCommandHandler;
  /** How long an uplink may wait for onUplink before the gateway is told to retry. */
  uplinkTimeoutMs?: number;
}

export interface RunningBroker {
  aedes: Aedes;
  /** Actual ports (useful with port 0). */
  ports: { tcp?: number; tls?: number; ws?: number };
  /** Development certificate in use, when one was generated. */
  devCertificatePath?: string;
  events: GatewayEvents;
  connectedGateways(): string[];
  publish(
    topic: string,
    payload: Buffer | string,
    options?: { retain?: boolean; qos?: 0 | 1 | 2 },
  ): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_MAX_PACKET_BYTES = 16 * 1024;

function trackSessions(aedes: Aedes, events: GatewayEvents, logger: Logger) {
  const sessions = new Map<string, Client>();
  aedes.on('clientReady', (client) => {
    const identity = identityOf(client);
    if (identity?.role !== 'gateway') return;
    sessions.set(identity.gatewayId, client);
    logger.info({ gateway: identity.gatewayId }, 'gateway session up');
    events.markConnected(identity.gatewayId);
  });
  aedes.on('clientDisconnect', (client) => {
    const identity = identityOf(client);
    if (identity?.role !== 'gateway') return;
    // A takeover by the same gateway's new connection must not erase the new session.
    if (sessions.get(identity.gatewayId) !== client) return;
    sessions.delete(identity.gatewayId);
    logger.info({ gateway: identity.gatewayId }, 'gateway session ended');
    events.markDisconnected(identity.gatewayId);
  });
  // Aedes emits 'subscribe' once the subscription is registered (granted ones carry
  // their QoS; refused ones 128), so a downlink published on this event is delivered.
  aedes.on('subscribe', (subscriptions, client) => {
    const identity = identityOf(client);
    if (identity?.role !== 'gateway') return;
    const own = gatewayTopic(identity.gatewayId, 'down');
    const granted = subscriptions.some(
      (sub) => sub.topic === own && (sub.qos as number) !== 128,
    );
    if (granted) events.emitDownlinkReady(identity.gatewayId);
  });
}

export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const events = new GatewayEvents();
  const throttle = new LoginThrottle(options.throttle);
  const maxPacketBytes = options.maxPacketBytes ?? DEFAULT_MAX_PACKET_BYTES;
  const auth = createAuthenticator({
    credentials: options.credentials,
    throttle,
    maxClientIdLength: options.maxClientIdLength ?? 64,
    logger,
    addressOf: (client) => (client.conn as PacketSizeGuard).remoteAddress ?? 'unknown',
  });
  const authorizer = createAuthorizer(logger);
  const inProgress = new UplinksInProgress();
  const published = createPublishedHook({
    inProgress,
    onUplink: options.onUplink,
    onDispatchCommand: options.onDispatchCommand,
    events,
    logger,
    uplinkTimeoutMs: options.uplinkTimeoutMs ?? 30_000,
  });

  const aedes = await Aedes.createBroker({
    preConnect: auth.preConnect,
    authenticate: auth.authenticate,
    authorizePublish: authorizer.authorizePublish,
    authorizeSubscribe: authorizer.authorizeSubscribe,
    published,
  });
  // Aedes's types do not show its persistence; it is set by createBroker().
  inProgress.guard(
    (aedes as unknown as { persistence: Parameters<UplinksInProgress['guard']>[0] })
      .persistence,
    (topic) => parseGatewayTopic(topic)?.leaf === 'up',
  );
  trackSessions(aedes, events, logger);
  aedes.on('clientError', (client, error) =>
    logger.debug({ client: client.id, err: error.message }, 'client error'),
  );
  // Aedes emits 'error' for its own storage failures; unheard, Node would crash on it.
  (aedes as unknown as NodeJS.EventEmitter).on('error', (error: Error) =>
    logger.error({ err: error }, 'broker error'),
  );
  aedes.on('connectionError', (_client, error) =>
    logger.debug({ err: error.message }, 'connection error before login'),
  );

  const accept: AcceptOptions = {
    maxPacketBytes,
    handle: (connection) => aedes.handle(connection),
    onOversize: (address, reason) =>
      logger.warn(
        { address, reason, maxPacketBytes },
        'connection closed: packet too large',
      ),
  };
  const listeners: Listener[] = [];
  const ports: RunningBroker['ports'] = {};
  let devCertificatePath: string | undefined;

  async function openListeners() {
    if (options.tcp !== false) {
      const tcp = options.tcp ?? { port: 1883 };
      listeners.push(
        await listenTcp({ port: tcp.port, host: tcp.host ?? '0.0.0.0' }, accept),
      );
    }
    if (options.tls !== false && options.tls !== undefined) {
      const tls = options.tls;
      let paths = { certPath: tls.certPath, keyPath: tls.keyPath };
      if (paths.certPath === undefined || paths.keyPath === undefined) {
        const generated = ensureDevCertificate(options.dataDir);
        paths = generated;
        devCertificatePath = generated.certPath;
        if (generated.created) {
          logger.warn({ cert: generated.certPath }, 'made a development TLS certificate');
        }
      }
      const endpoint = {
        port: tls.port,
        host: tls.host ?? '0.0.0.0',
        cert: readFileSync(paths.certPath as string),
        key: readFileSync(paths.keyPath as string),
      };
      const onHandshakeError = (error: Error) =>
        logger.debug({ err: error.message }, 'TLS handshake failed');
      listeners.push(await listenTls(endpoint, accept, onHandshakeError));
    }
    if (options.ws !== false && options.ws !== undefined) {
      const ws = options.ws;
      listeners.push(
        await listenWebSocket({ port: ws.port, host: ws.host ?? '0.0.0.0' }, accept),
      );
    }
  }

  async function close() {
    const closing = listeners.map((listener) => listener.close());
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    await Promise.all(closing);
  }

  try {
    await openListeners();
  } catch (error) {
    await close();
    throw error;
  }
  for (const listener of listeners) ports[listener.transport] = listener.port;
  logger.info({ ports, maxPacketBytes }, 'broker listening');

  return {
    aedes,
    ports,
    devCertificatePath,
    events,
    connectedGateways: () => events.connectedGateways(),
    publish: (topic, payload, publishOptions = {}) =>
      new Promise<void>((resolve, reject) => {
        const packet = {
          cmd: 'publish' as const,
          topic,
          payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
          qos: publishOptions.qos ?? 0,
          retain: publishOptions.retain ?? false,
          dup: false,
        };
        aedes.publish(packet, (error) => (error ? reject(error) : resolve()));
      }),
    close,
  };
}
