// The broker side of the benchmark, run as its own process so that its CPU is its own:
//   node --import tsx broker/bench/broker-process.ts <bare|secured|ingest> <posts>
// Prints {"port": n} when listening; answers "cpu" on stdin with its CPU time (µs);
// exits on SIGTERM.
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Aedes } from 'aedes';
import pino from 'pino';
import { openRegistry, startBroker } from '@urgence/broker';
import type { RunningBroker, UplinkHandler } from '@urgence/broker';
import { createIngest } from '../src/ingest/index';
import { DISPATCHER, GATEWAY, RELAY_TOPIC, UPLINK, benchPost } from './shared';
import type { SetupName } from './shared';

async function bare() {
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
  return (server.address() as { port: number }).port;
}

async function secured(setup: SetupName, posts: number) {
  const folder = mkdtempSync(join(tmpdir(), 'urgence-bench-'));
  process.on('exit', () => rmSync(folder, { recursive: true, force: true }));
  const registry = openRegistry(join(folder, 'registry.sqlite'));
  registry.addGateway({ ...GATEWAY, location: { lat: 48.8566, lon: 2.3522 } });
  registry.addDispatcher(DISPATCHER);
  const holder: { broker?: RunningBroker; onUplink?: UplinkHandler } = {};

  if (setup === 'ingest') {
    registry.db.transaction(() => {
      for (let index = 0; index < posts; index += 1) {
        const post = benchPost(index);
        const location = { lat: 48.85, lon: 2.35, label: `post ${index}` };
        registry.addDevice({ ...post, kind: 'post', location });
      }
    })();
  } else {
    holder.onUplink = async (_gateway, payload) => {
      await holder.broker?.publish(RELAY_TOPIC, payload, { qos: 0 });
    };
  }
  const broker = await startBroker({
    credentials: registry,
    dataDir: folder,
    tcp: { port: 0, host: '127.0.0.1' },
    onUplink: (gatewayId, payload, packet) =>
      (holder.onUplink as UplinkHandler)(gatewayId, payload, packet),
  });
  holder.broker = broker;
  if (setup === 'ingest') {
    const ingest = createIngest({
      registry,
      publish: broker.publish,
      logger: pino({ level: 'silent' }),
    });
    holder.onUplink = (gatewayId, payload) => ingest.onUplink(gatewayId, payload);
  }
  return broker.ports.tcp as number;
}

const setup = process.argv[2] as SetupName;
const posts = Number(process.argv[3] ?? 0);
const port = setup === 'bare' ? await bare() : await secured(setup, posts);
process.stdout.write(`${JSON.stringify({ port })}\n`);

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line !== 'cpu') return;
  const used = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuMicros: used.user + used.system })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
