// The durable outbox: every frame worth sending is appended to a log and fsync'd before
// the device is acknowledged, and leaves the log only on the broker's durability receipt
// (QoS 2 PUBCOMP, CONTRACTS.md). Appends are group-committed: one write + one fdatasync per
// batch, so a burst of alarms costs one disk flush, yet no append resolves before its flush.
import { constants } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { encodeEntry, encodeRemoval, encodeSeqMark } from './record';
import type { EntryClass, OutboxEntry, Uplink } from './record';
import { replayLog } from './replay';
import { DeviceQueues } from './queues';

export type { EntryClass, OutboxEntry, Uplink } from './record';

export class OutboxFullError extends Error {
  readonly reason: 'capacity' | 'disk-full' | 'io';
  constructor(reason: OutboxFullError['reason'], message: string) {
    super(message);
    this.name = 'OutboxFullError';
    this.reason = reason;
  }
}

export type OutboxOptions = {
  dir: string;
  /** Budget for the log file; see README.md "Outbox sizing" for the 24 h arithmetic. */
  maxBytes: number;
  log: Logger;
  /** Compact once the file is past this size and more than half of it is dead records. */
  compactMinBytes?: number;
};

type Pending = { bytes: Buffer; entry?: OutboxEntry; done: (error?: Error) => void };

export type OutboxStats = {
  appended: number;
  removed: number;
  coalesced: number;
  refused: number;
  diskErrors: number;
  compactions: number;
  /** Write+fdatasync rounds: appends per commit shows the group commit at work. */
  commits: number;
  lastError?: string;
};

const LOG_FILE = 'outbox.log';

export class Outbox {
  readonly stats: OutboxStats = {
    appended: 0,
    removed: 0,
    coalesced: 0,
    refused: 0,
    diskErrors: 0,
    compactions: 0,
    commits: 0,
  };
  /** Called when an entry becomes publishable (after its fsync, or after a release). */
  onReady: () => void = () => {};

  private readonly queues = new DeviceQueues();
  private readonly recordBytes = new Map<number, number>();
  private waiting: Pending[] = [];
  private writing: Promise<void> | undefined;
  private liveBytes = 0;
  private closed = false;

  private constructor(
    private readonly options: OutboxOptions,
    private file: FileHandle,
    private size: number,
    private nextSeq: number,
  ) {}

  /** Opens (or creates) the log in `dir` and replays it: pending entries come back in order. */
  static async open(options: OutboxOptions): Promise<Outbox> {
    await mkdir(options.dir, { recursive: true });
    const path = join(options.dir, LOG_FILE);
    const replay = await replayLog(path, options.log);
    const file = await openForWrite(path);
    await syncDirectory(options.dir);
    const outbox = new Outbox(options, file, replay.size, replay.highestSeq + 1);
    for (const { entry, bytes } of replay.entries) {
      outbox.queues.push(entry);
      outbox.recordBytes.set(entry.seq, bytes);
      outbox.liveBytes += bytes;
    }
    options.log.info(
      { pending: outbox.depth, bytes: replay.size, torn: replay.torn },
      'outbox opened',
    );
    return outbox;
  }

  get depth(): number {
    return this.queues.size;
  }

  get fileBytes(): number {
    return this.size;
  }

  /** Resolves once the entry is on disk (fsync'd): only then may the device be acked. */
  append(device: string, entryClass: EntryClass, uplink: Uplink): Promise<OutboxEntry> {
    if (this.closed) return Promise.reject(new OutboxFullError('io', 'outbox is closed'));
    const entry: OutboxEntry = { seq: this.nextSeq++, device, class: entryClass, uplink };
    return new Promise((resolve, reject) => {
      const done = (error?: Error) => (error ? reject(error) : resolve(entry));
      this.waiting.push({ bytes: encodeEntry(entry), entry, done });
      this.kick();
    });
  }

  /** The entry waiting longest for its receipt (telemetry: how stale the backlog is). */
  oldest(): OutboxEntry | undefined {
    return this.queues.oldest();
  }

  /** Every entry not yet receipted, in sequence order. */
  pending(): OutboxEntry[] {
    return this.queues.all();
  }

  /** The oldest pending entry of a device with nothing in flight; marks that device busy. */
  take(): OutboxEntry | undefined {
    return this.queues.take();
  }

  /** The entry was not receipted (connection lost, client stopped): publish it again later. */
  release(entry: OutboxEntry): void {
    this.queues.release(entry);
    this.onReady();
  }

  /** The broker's receipt arrived: the entry leaves the outbox. */
  remove(entry: OutboxEntry): void {
    if (!this.queues.remove(entry)) return;
    this.forget(entry.seq);
    this.stats.removed++;
    // Not awaited: losing a removal record in a crash only causes a duplicate uplink,
    // which the ingest deduplicates (CONTRACTS.md).
    this.waiting.push({ bytes: encodeRemoval([entry.seq]), done: () => {} });
    this.kick();
  }

  async close(): Promise<void> {
    this.closed = true;
    // Flush what is queued (removal records included) before letting go of the file.
    while (this.writing) await this.writing;
    await this.file.close();
  }

  private forget(seq: number): void {
    this.liveBytes -= this.recordBytes.get(seq) ?? 0;
    this.recordBytes.delete(seq);
  }

  private kick(): void {
    if (this.writing) return;
    this.writing = this.drain().finally(() => {
      this.writing = undefined;
      if (this.waiting.length > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      await this.commit(await this.admit(batch));
    }
    const compactMin = this.options.compactMinBytes ?? 4 * 1024 * 1024;
    if (this.size > compactMin && this.liveBytes * 2 < this.size) await this.compact();
  }

  /** Keeps what fits in the budget, making room first; refuses the rest (never an alarm silently). */
  private async admit(batch: Pending[]): Promise<Pending[]> {
    const needed = batch.reduce((sum, p) => sum + p.bytes.length, 0);
    if (this.size + needed <= this.options.maxBytes) return batch;

    const hasAlarm = batch.some((p) => p.entry?.class === 'alarm');
    await this.makeRoom(needed, hasAlarm);
    // What is left goes first to removals, alarms and faults, then to heartbeats: one
    // group commit can hold both, and a heartbeat must never take an alarm's place.
    // The batch keeps its order on disk (per-device order is replay order).
    let room = this.options.maxBytes - this.size;
    const admitted = new Set<Pending>();
    const take = (p: Pending) => {
      if (p.bytes.length > room && p.entry !== undefined) return;
      room -= p.bytes.length;
      admitted.add(p);
    };
    for (const p of batch) if (p.entry?.class !== 'heartbeat') take(p);
    for (const p of batch) if (p.entry?.class === 'heartbeat') take(p);
    return batch.filter((p) => {
      if (admitted.has(p) || p.entry === undefined) return true;
      this.stats.refused++;
      const { device, seq } = p.entry;
      this.options.log.error(
        { device, seq, class: p.entry.class },
        'outbox full: refused',
      );
      p.done(new OutboxFullError('capacity', 'outbox is full (outbox.maxBytes)'));
      return false;
    });
  }

  private async makeRoom(needed: number, forAlarm: boolean): Promise<void> {
    const fits = () => this.liveBytes + needed <= this.options.maxBytes;
    // First the cheapest loss: older heartbeats of a device that has a newer one.
    for (const entry of this.queues.supersededHeartbeats()) this.drop(entry);
    // Then, only to take an alarm, every waiting heartbeat: liveness can wait, alarms not.
    if (!fits() && forAlarm)
      for (const entry of this.queues.heartbeats()) this.drop(entry);
    await this.compact();
  }

  private drop(entry: OutboxEntry): void {
    if (!this.queues.remove(entry)) return;
    this.forget(entry.seq);
    this.stats.coalesced++;
    this.options.log.warn(
      { device: entry.device, seq: entry.seq },
      'heartbeat coalesced',
    );
  }

  private async commit(batch: Pending[]): Promise<void> {
    if (batch.length === 0) return;
    const bytes = Buffer.concat(batch.map((p) => p.bytes));
    try {
      await this.file.write(bytes, 0, bytes.length, this.size);
      await this.file.datasync();
    } catch (error) {
      await this.failBatch(batch, error as NodeJS.ErrnoException);
      return;
    }
    this.size += bytes.length;
    this.stats.commits++;
    for (const p of batch) {
      if (p.entry !== undefined) {
        this.queues.push(p.entry);
        this.recordBytes.set(p.entry.seq, p.bytes.length);
        this.liveBytes += p.bytes.length;
        this.stats.appended++;
      }
      p.done();
    }
    if (batch.some((p) => p.entry !== undefined)) this.onReady();
  }

  private async failBatch(batch: Pending[], error: NodeJS.ErrnoException): Promise<void> {
    const diskFull = error.code === 'ENOSPC' || error.code === 'EDQUOT';
    this.stats.diskErrors++;
    this.stats.lastError = `${error.code ?? 'EIO'}: ${error.message}`;
    this.options.log.error(
      { code: error.code, records: batch.length, path: this.options.dir },
      diskFull ? 'outbox disk full: records not stored' : 'outbox write failed',
    );
    // A partial write would leave a torn record mid-log: cut back to the last good byte.
    await this.file.truncate(this.size).catch(() => {});
    const failure = new OutboxFullError(
      diskFull ? 'disk-full' : 'io',
      this.stats.lastError,
    );
    for (const p of batch) p.done(failure);
  }

  /** Rewrites the live entries to a new file, then renames it over the log (atomic). */
  private async compact(): Promise<void> {
    const path = join(this.options.dir, LOG_FILE);
    const temporary = `${path}.compact`;
    // The mark keeps sequence numbers rising after a restart even when no entry is left.
    const records = [
      encodeSeqMark(this.nextSeq - 1),
      ...this.queues.all().map(encodeEntry),
    ];
    const bytes = Buffer.concat(records);
    const next = await open(temporary, 'w');
    try {
      await next.write(bytes, 0, bytes.length, 0);
      await next.datasync();
      await next.close();
      await rename(temporary, path);
      await syncDirectory(this.options.dir);
    } catch (error) {
      await next.close().catch(() => {});
      await rm(temporary, { force: true }).catch(() => {}); // give the space back
      const code = (error as NodeJS.ErrnoException).code;
      this.stats.diskErrors++;
      this.options.log.error({ code }, 'outbox compaction failed; keeping the old log');
      return;
    }
    await this.file.close();
    this.file = await openForWrite(path);
    this.size = bytes.length;
    this.stats.compactions++;
    this.options.log.debug({ bytes: this.size, pending: this.depth }, 'outbox compacted');
  }
}

// Not O_APPEND: Linux ignores the position of pwrite on an O_APPEND file, and after a
// failed write the next batch must overwrite the torn bytes at `size`.
function openForWrite(path: string): Promise<FileHandle> {
  return open(path, constants.O_RDWR | constants.O_CREAT, 0o600);
}

export async function syncDirectory(dir: string): Promise<void> {
  // A new or renamed file survives a power cut only once its directory entry is flushed.
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
