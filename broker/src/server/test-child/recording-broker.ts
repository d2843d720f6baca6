// A broker child process for the crash test: its onUplink records each uplink in the
// registry file (synchronous=FULL) and it prints its port as one JSON line. It runs
// until it is killed; the test kills it with SIGKILL.
import { join } from 'node:path';
import { openRegistry } from '../../registry/index';
import { startBroker } from '../broker';

const dataDir = process.argv[2];
const registry = openRegistry(join(dataDir, 'registry.sqlite'));
registry.migrate(
  'test-001-uplinks',
  'CREATE TABLE test_uplinks (gateway TEXT NOT NULL, payload BLOB NOT NULL)',
);
const record = registry.db.prepare(
  'INSERT INTO test_uplinks (gateway, payload) VALUES (?, ?)',
);

const broker = await startBroker({
  credentials: registry,
  dataDir,
  tcp: { port: 0, host: '127.0.0.1' },
  onUplink: async (gatewayId, payload) => {
    // Slow, asynchronous ingest work before the write: had the receipt not waited for
    // this promise, the kill would land between receipt and write.
    await new Promise((resolve) => setTimeout(resolve, 100));
    record.run(gatewayId, payload);
  },
});
process.stdout.write(`${JSON.stringify({ tcp: broker.ports.tcp })}\n`);
