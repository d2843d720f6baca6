// A part of the system (broker, gateway) run as its own Node process, so a scenario can
// kill it with SIGKILL as a crash would, and so its CPU and memory can be measured apart.
// The child says it is ready over IPC; its output goes to a log file in the data folder.

import { fork, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { LineSplitter } from '../serial/serialLine';

export interface ReadyMessage {
  type: 'ready';
  [field: string]: unknown;
}

export interface ChildOptions {
  script: string;
  args: () => string[];
  env: () => NodeJS.ProcessEnv;
  logFile: string;
  /** For a process that says nothing over IPC: reads readiness from its log lines. */
  readyFromLine?: (line: string) => ReadyMessage | undefined;
  /** Or polls this (every 100 ms) until it gives the ready message: a port that answers. */
  readyProbe?: () => Promise<ReadyMessage | undefined>;
  readyTimeoutMs?: number;
}

export class ChildService {
  private child: ChildProcess | undefined;
  private log: WriteStream | undefined;
  private readonly messageListeners = new Set<
    (message: Record<string, unknown>) => void
  >();
  /** The last ready message (ports and the like). */
  ready: ReadyMessage | undefined;

  constructor(
    readonly name: string,
    private readonly options: ChildOptions,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    const child = this.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  onMessage(listener: (message: Record<string, unknown>) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  send(message: object): void {
    if (this.child?.connected === true) this.child.send(message);
  }

  async start(): Promise<ReadyMessage> {
    if (this.running) throw new Error(`${this.name} is already running`);
    const { script, args, env, logFile, readyFromLine, readyProbe } = this.options;
    const readyTimeoutMs = this.options.readyTimeoutMs ?? 30_000;
    this.log ??= createWriteStream(logFile, { flags: 'a' });
    const child = fork(script, args(), {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env() },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child = child;
    child.stdout!.pipe(this.log, { end: false });
    child.stderr!.pipe(this.log, { end: false });
    child.on('message', (message: Record<string, unknown>) => {
      for (const listener of this.messageListeners) listener(message);
    });
    if (readyFromLine !== undefined) {
      const lines = new LineSplitter((line) => {
        const ready = readyFromLine(line);
        if (ready !== undefined) child.emit('message', ready);
      });
      child.stdout!.on('data', (bytes: Buffer) => lines.push(bytes));
    }
    if (readyProbe !== undefined) {
      const probe = setInterval(() => {
        void readyProbe().then((ready) => {
          if (ready === undefined || !this.running) return;
          clearInterval(probe);
          child.emit('message', ready);
        });
      }, 100);
      child.once('exit', () => clearInterval(probe));
      child.once('message', (message: { type?: string }) => {
        if (message.type === 'ready') clearInterval(probe);
      });
    }

    this.ready = await new Promise<ReadyMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        child.kill('SIGKILL');
        reject(
          new Error(
            `${this.name} was not ready within ${readyTimeoutMs} ms; see ${logFile}`,
          ),
        );
      }, readyTimeoutMs);
      const onMessage = (message: Record<string, unknown>) => {
        if (message.type === 'ready') {
          cleanup();
          resolve(message as ReadyMessage);
        } else if (message.type === 'failed') {
          cleanup();
          reject(new Error(`${this.name} did not start: ${String(message.reason)}`));
        }
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(
          new Error(`${this.name} exited (${code}) before it was ready; see ${logFile}`),
        );
      };
      const cleanup = () => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
    return this.ready;
  }

  /** SIGKILL: nothing runs in the child, as in a crash. */
  kill(): Promise<void> {
    return this.signal('SIGKILL', 0);
  }

  /** SIGTERM, then SIGKILL if it has not exited within graceMs. */
  stop(graceMs = 5000): Promise<void> {
    return this.signal('SIGTERM', graceMs);
  }

  /** Closes the log once the service will not run again. */
  async close(): Promise<void> {
    if (this.running) await this.stop();
    await new Promise<void>((resolve) =>
      this.log === undefined ? resolve() : this.log.end(resolve),
    );
    this.log = undefined;
  }

  private async signal(signal: NodeJS.Signals, graceMs: number): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null)
      return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer =
      graceMs > 0 ? setTimeout(() => child.kill('SIGKILL'), graceMs) : undefined;
    await exited;
    clearTimeout(timer);
  }
}

/** In a child: tells the parent it is ready (or why it failed) over IPC. */
export function tellParent(message: Record<string, unknown>): void {
  process.send?.(message);
}
