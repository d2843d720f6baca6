// A virtual device's flash kept on disk between runs of `npm start`: its Storage files
// (config with the key, counters, a pending alarm) as they would survive on a real board.

import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { SimDeviceLike } from './firmware';

export function saveStorage(sim: SimDeviceLike, path: string): void {
  const files: Record<string, string> = {};
  for (const name of sim.journal.names()) {
    const data = sim.journal.find(name);
    if (data !== undefined) files[name] = Buffer.from(data).toString('base64');
  }
  // Written aside then renamed, so a kill mid-write leaves the previous copy whole.
  writeFileSync(`${path}.tmp`, JSON.stringify(files), { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}

/** Restores saved files into an empty journal; false when nothing was saved. */
export function restoreStorage(sim: SimDeviceLike, path: string): boolean {
  if (!existsSync(path)) return false;
  const files = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
  for (const [name, base64] of Object.entries(files)) {
    sim.journal.write(name, new Uint8Array(Buffer.from(base64, 'base64')));
  }
  return true;
}
