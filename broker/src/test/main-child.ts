// main.ts as an operator runs it, in a child process for the tests that need the whole
// broker: started on a data folder with settings from the environment, up once it logs
// "urgence broker up", and killed with SIGKILL when the test is done with it.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const mainScript = fileURLToPath(new URL('../main.ts', import.meta.url));

export interface MainChild {
  readonly child: ChildProcess;
  readonly ports: { tcp?: number; tls?: number; ws?: number };
}

/** Starts main.ts on `folder` (TCP on a free loopback port, TLS off unless `env` says). */
export async function startMain(
  folder: string,
  env: Record<string, string> = {},
): Promise<MainChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', mainScript], {
    env: {
      ...process.env,
      URGENCE_DATA_DIR: folder,
      URGENCE_MQTT_HOST: '127.0.0.1',
      URGENCE_MQTT_PORT: '0',
      URGENCE_TLS: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    const entry = JSON.parse(line) as { msg: string; ports?: MainChild['ports'] };
    if (entry.msg === 'urgence broker up' && entry.ports !== undefined) {
      // Keep draining its logs so the child never blocks on a full pipe.
      child.stdout?.resume();
      return { child, ports: entry.ports };
    }
  }
  throw new Error('main exited before it was up');
}

export async function killMain(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}
