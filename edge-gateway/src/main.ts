// Command line entry: `npx tsx edge-gateway/src/main.ts --config /etc/urgence/gateway.json`.
// A bad config exits 2 with one line naming the setting; SIGTERM/SIGINT stop cleanly
// (retained offline state, outbox flushed). A crash needs no cleanup: the outbox is
// durable, systemd restarts the service and it resumes where it was.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config';
import { startGateway } from './gateway';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string', short: 'c' } } });
  if (values.config === undefined) {
    process.stderr.write('usage: main.ts --config <gateway.json>\n');
    process.exit(2);
  }
  let gateway;
  try {
    gateway = await startGateway(loadConfig(values.config));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const running = gateway;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

await main();
