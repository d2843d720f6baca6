// Which serial port each post is behind, remembered across restarts: learnt from every
// frame heard and from the outbox entries replayed at start, and kept in a small file so
// an ack for a post heard before a crash finds its port before the post speaks again.
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { syncDirectory } from '../outbox/outbox';

export const ROUTES_FILE = 'post-routes.json';

// A gateway serves a few dozen posts; the cap only bounds a file fed by a faulty line
// inventing device ids (oldest-learnt routes are forgotten first).
const MAX_ROUTES = 1024;

export class PostRoutes {
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;

  private constructor(
    private readonly dir: string,
    private readonly log: Logger,
    private readonly ports: Map<string, string>,
  ) {}

  /** Reads the routes saved by the last run; a missing or unreadable file starts empty. */
  static async open(dir: string, log: Logger): Promise<PostRoutes> {
    const ports = new Map<string, string>();
    try {
      const saved = JSON.parse(await readFile(join(dir, ROUTES_FILE), 'utf8')) as unknown;
      for (const [device, port] of Object.entries(saved as Record<string, unknown>)) {
        if (typeof port === 'string') ports.set(device, port);
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Unreadable (not merely absent): routes come back as posts speak; say so once.
      if (code !== 'ENOENT')
        log.warn({ err: (error as Error).message }, 'routes unreadable');
    }
    return new PostRoutes(dir, log, ports);
  }

  portOf(device: string): string | undefined {
    return this.ports.get(device);
  }

  /** Every known post and its port, oldest-learnt first. */
  entries(): [device: string, port: string][] {
    return [...this.ports];
  }

  get size(): number {
    return this.ports.size;
  }

  /** Records that `device` was heard on `port`; saved (atomically, fsync'd) if it changed. */
  learn(device: string, port: string): boolean {
    if (this.ports.get(device) === port) return false;
    this.ports.delete(device);
    this.ports.set(device, port);
    if (this.ports.size > MAX_ROUTES) {
      const oldest = this.ports.keys().next().value as string;
      this.ports.delete(oldest);
    }
    this.save();
    return true;
  }

  /** Resolves once every change so far is on disk. */
  flushed(): Promise<void> {
    return this.writing;
  }

  private save(): void {
    if (this.dirty) return; // a write is queued already and will take this change too
    this.dirty = true;
    this.writing = this.writing.then(() => this.write());
  }

  // Written to a temporary file, fsync'd, renamed over the old one, directory fsync'd: a
  // power cut leaves either the old routes or the new ones, never half a file.
  private async write(): Promise<void> {
    this.dirty = false;
    const path = join(this.dir, ROUTES_FILE);
    const temporary = `${path}.tmp`;
    try {
      const file = await open(temporary, 'w', 0o600);
      try {
        await file.writeFile(JSON.stringify(Object.fromEntries(this.ports)));
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, path);
      await syncDirectory(this.dir);
    } catch (error) {
      // Not fatal: routes are learnt again from the next frame of each post.
      this.log.error({ err: (error as Error).message }, 'routes not saved');
    }
  }
}
