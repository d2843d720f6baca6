// The network side of the broker: TCP, TLS and WebSocket listeners that wrap every
// connection in the packet-size guard before Aedes sees a byte.
import { createServer as createTcpServer } from 'node:net';
import type { Server as NetServer, Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { createServer as createHttpServer } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { PacketSizeGuard } from './packet-limit';
import type { OversizeReason } from './packet-limit';

export interface Endpoint {
  port: number;
  host: string;
}

export type Transport = 'tcp' | 'tls' | 'ws';

/** Listening failed because the port is taken: says which and how to choose another. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(
    readonly transport: Transport,
    readonly endpoint: Endpoint,
  ) {
    const setting = { tcp: 'mqtt.port', tls: 'tls.port', ws: 'ws.port' }[transport];
    const env = {
      tcp: 'URGENCE_MQTT_PORT',
      tls: 'URGENCE_TLS_PORT',
      ws: 'URGENCE_WS_PORT',
    }[transport];
    super(
      `${transport} port ${endpoint.port} on ${endpoint.host} is already in use: ` +
        `choose another with ${setting} in the config file or ${env}`,
    );
  }
}

export interface AcceptOptions {
  maxPacketBytes: number;
  /** Gives the guarded connection to Aedes. */
  handle: (connection: PacketSizeGuard) => void;
  onOversize: (address: string, reason: OversizeReason) => void;
}

export function acceptConnection(raw: Duplex, address: string, options: AcceptOptions) {
  const guard = new PacketSizeGuard(raw, {
    maxPacketBytes: options.maxPacketBytes,
    remoteAddress: address,
    onOversize: (reason) => options.onOversize(address, reason),
  });
  options.handle(guard);
}

function socketAddress(socket: Socket): string {
  return socket.remoteAddress ?? 'unknown';
}

function listen(
  server: NetServer | HttpServer,
  transport: Transport,
  endpoint: Endpoint,
) {
  return new Promise<number>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE' ? new PortInUseError(transport, endpoint) : error,
      );
    };
    server.once('error', onError);
    server.listen(endpoint.port, endpoint.host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(
        typeof address === 'object' && address !== null ? address.port : endpoint.port,
      );
    });
  });
}

export interface Listener {
  transport: Transport;
  port: number;
  close(): Promise<void>;
}

function closer(server: NetServer | HttpServer, extra?: () => void) {
  return () =>
    new Promise<void>((resolve) => {
      extra?.();
      server.close(() => resolve());
    });
}

export async function listenTcp(
  endpoint: Endpoint,
  accept: AcceptOptions,
): Promise<Listener> {
  const server = createTcpServer((socket) => {
    socket.setNoDelay(true);
    acceptConnection(socket, socketAddress(socket), accept);
  });
  const port = await listen(server, 'tcp', endpoint);
  return { transport: 'tcp', port, close: closer(server) };
}

export async function listenTls(
  endpoint: Endpoint & { cert: Buffer; key: Buffer },
  accept: AcceptOptions,
  onHandshakeError: (error: Error) => void,
): Promise<Listener> {
  const server = createTlsServer({ cert: endpoint.cert, key: endpoint.key }, (socket) => {
    socket.setNoDelay(true);
    acceptConnection(socket, socketAddress(socket), accept);
  });
  server.on('tlsClientError', onHandshakeError);
  const port = await listen(server, 'tls', endpoint);
  return { transport: 'tls', port, close: closer(server) };
}

export async function listenWebSocket(
  endpoint: Endpoint,
  accept: AcceptOptions,
): Promise<Listener> {
  const http = createHttpServer();
  // MQTT over WebSocket carries one binary frame per write; the packet limit still
  // applies to the MQTT packets inside, and maxPayload bounds one frame.
  const sockets = new WebSocketServer({
    server: http,
    maxPayload: accept.maxPacketBytes * 4,
    handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : false),
  });
  sockets.on('connection', (socket, request) => {
    const stream = createWebSocketStream(socket);
    acceptConnection(stream, request.socket.remoteAddress ?? 'unknown', accept);
  });
  const port = await listen(http, 'ws', endpoint);
  const close = closer(http, () => {
    for (const client of sockets.clients) client.terminate();
    sockets.close();
  });
  return { transport: 'ws', port, close };
}
