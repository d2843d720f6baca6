// The real broker (broker/src/main.ts: registry, Aedes over TCP, ingest, feed) in a child
// process on a free port, for end-to-end tests of test-alarm. Stopped with SIGTERM.

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface BrokerProcess {
  url: string;
  stop(): Promise<void>;
}

// @urgence/broker's entry is broker/src/index.ts; its process entry sits beside it.
const brokerMain = join(
  dirname(createRequire(import.meta.url).resolve('@urgence/broker')),
  'main.ts',
);

export function startBrokerProcess(
  registry: string,
  dataDir: string,
): Promise<BrokerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', brokerMain], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      URGENCE_REGISTRY: registry,
      URGENCE_DATA_DIR: dataDir,
      URGENCE_MQTT_HOST: '127.0.0.1',
      URGENCE_MQTT_PORT: '0',
      URGENCE_TLS: 'false',
      URGENCE_WS: 'false',
      URGENCE_LOG_LEVEL: 'info',
    },
  });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });

  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error('broker did not start in time: ' + log));
    }, 60_000);
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`broker exited (${code}): ${log}`)));
    // pino logs one JSON object per line; the readiness line carries the bound ports.
    child.stdout.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      for (const line of log.split('\n')) {
        if (!line.includes('urgence broker up')) continue;
        const port = (JSON.parse(line) as { ports: { tcp: number } }).ports.tcp;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.stdout.removeAllListeners('data');
        child.stdout.resume();
        resolve({ url: `mqtt://127.0.0.1:${port}`, stop });
        return;
      }
    });
  });
}
