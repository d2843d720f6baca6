// Runs the real `urgence` binary in a child process, as a technician would, and collects
// its exit code and output. Also a scratch bench: temp dir, registry path, a pty device.

import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPtyPair } from '@urgence/firmware/sim';
import {
  startVirtualDevice,
  type VirtualDevice,
  type VirtualDeviceOptions,
} from './virtual-device';

const binary = fileURLToPath(new URL('../../bin/urgence.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed, for --json runs. */
  json: Record<string, unknown>;
}

export function runCli(
  args: string[],
  options: {
    timeoutMs?: number;
    env?: Record<string, string>;
    onStdout?: (text: string) => void;
  } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binary, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, URGENCE_REGISTRY: '', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      options.onStdout?.(stdout);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill(), options.timeoutMs ?? 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(stdout) as Record<string, unknown>;
      } catch {
        // Not a --json run.
      }
      resolve({ code, stdout, stderr, json });
    });
  });
}

/** A temp directory with a registry path, plus optional virtual devices on ptys. */
export class Bench {
  private readonly cleanups: (() => Promise<void>)[] = [];

  private constructor(readonly directory: string) {}

  static async create(): Promise<Bench> {
    return new Bench(await mkdtemp(join(tmpdir(), 'urgence-cli-')));
  }

  get registry(): string {
    return join(this.directory, 'registry.sqlite');
  }

  async file(name: string, text: string): Promise<string> {
    const path = join(this.directory, name);
    await writeFile(path, text);
    return path;
  }

  /** A pty whose far end nobody reads: a port where no device answers. */
  async silentPort(): Promise<string> {
    const pty = await openPtyPair();
    this.cleanups.push(() => pty.close());
    return pty.paths[1];
  }

  async device(options: VirtualDeviceOptions = {}): Promise<VirtualDevice> {
    const device = await startVirtualDevice(options);
    this.cleanups.push(() => device.close());
    return device;
  }

  async close(): Promise<void> {
    for (const cleanup of this.cleanups.reverse()) await cleanup();
    await rm(this.directory, { recursive: true, force: true });
  }
}
