// The real broker in this process, wired as broker/src/main.ts wires it: the registry
// file, Aedes on a free TCP port, the ingest behind its uplink and dispatch seams, and
// gateway sessions reported to supervision. Tests reach the ingest's counters directly.

import pino from 'pino';
import { createIngest, openRegistry, startBroker, type Ingest } from '@urgence/broker';

export interface InProcessBroker {
  url: string;
  ingest: Ingest;
  stop(): Promise<void>;
}

export async function startInProcessBroker(
  registryPath: string,
  dataDir: string,
): Promise<InProcessBroker> {
  const logger = pino({ level: process.env['URGENCE_TEST_LOG'] ?? 'silent' });
  const registry = openRegistry(registryPath);
  // Set once the broker is up (the ingest publishes through it); an uplink before that
  // is refused, so nothing is receipted unrecorded.
  const plugged: { ingest?: Ingest } = {};
  const broker = await startBroker({
    credentials: registry,
    dataDir,
    tcp: { port: 0, host: '127.0.0.1' },
    tls: false,
    ws: false,
    logger,
    onUplink: async (gatewayId, payload) => {
      if (plugged.ingest === undefined) throw new Error('ingest not started');
      await plugged.ingest.onUplink(gatewayId, payload);
    },
    onDispatchCommand: async (dispatcher, payload) => {
      if (plugged.ingest === undefined) throw new Error('ingest not started');
      await plugged.ingest.onDispatchCommand(dispatcher.name, payload);
    },
  });
  const ingest = createIngest({ registry, publish: broker.publish, logger });
  plugged.ingest = ingest;
  const report = (gatewayId: string, state: 'online' | 'offline'): void =>
    void ingest.onGatewayState(gatewayId, state).catch(() => undefined);
  broker.events.on('connected', (gatewayId) => report(gatewayId, 'online'));
  broker.events.on('disconnected', (gatewayId) => report(gatewayId, 'offline'));
  broker.events.on('downlinkReady', (gatewayId) => {
    void ingest.onGatewayDownlinkReady(gatewayId).catch(() => undefined);
  });

  return {
    url: `mqtt://127.0.0.1:${broker.ports.tcp}`,
    ingest,
    async stop() {
      ingest.stop();
      await broker.close();
      registry.close();
    },
  };
}
