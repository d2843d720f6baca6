// Runs a Lua script under a Lua 5.3 interpreter: Debian's lua5.3 when installed
// (.ci/install-system installs it), else fengari (Lua 5.3 in JavaScript, from npm; its
// integers are 32-bit, which shim/int32.lua allows for).

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const vectorRunner = fileURLToPath(
  new URL('shim/vector-runner.lua', import.meta.url),
);
const fengariHost = fileURLToPath(new URL('fengari-host.ts', import.meta.url));

export type Interpreter = 'lua5.3' | 'fengari';

export function nativeLuaAvailable(): boolean {
  return spawnSync('lua5.3', ['-v'], { encoding: 'utf8' }).error === undefined;
}

/** Runs `script` with `args` and returns its non-empty output lines. */
export function runLua(
  interpreter: Interpreter,
  script: string,
  args: string[],
): string[] {
  const run =
    interpreter === 'lua5.3'
      ? spawnSync('lua5.3', [script, ...args], { encoding: 'utf8', timeout: 60_000 })
      : spawnSync(process.execPath, ['--import', 'tsx', fengariHost, script, ...args], {
          encoding: 'utf8',
          timeout: 120_000,
        });
  if (run.error !== undefined || run.status !== 0) {
    const reason = run.error?.message ?? String(run.stderr).trim();
    throw new Error(`${interpreter} failed on ${script}: ${reason}`);
  }
  return String(run.stdout)
    .split('\n')
    .filter((line) => line.length > 0);
}
