// Reading the outbox log back at start-up. A torn last record (power cut mid-write) fails
// its length or CRC check and is cut off: it was never fsync'd, so its device was never
// acknowledged and will send it again. Anything unreadable is kept aside for an operator.
import { open, writeFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { RecordKind, readRecord } from './record';
import type { OutboxEntry } from './record';

export type Replay = {
  entries: { entry: OutboxEntry; bytes: number }[];
  highestSeq: number;
  /** Bytes of valid log (the file is truncated to this). */
  size: number;
  torn?: string;
};

export async function replayLog(path: string, log: Logger): Promise<Replay> {
  let file: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      // Read exactly the file's size (never to EOF: a device file would never end).
      const { size } = await handle.stat();
      file = Buffer.alloc(size);
      if (size > 0) await handle.read(file, 0, size, 0);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { entries: [], highestSeq: 0, size: 0 };
    }
    throw error;
  }

  const live = new Map<number, { entry: OutboxEntry; bytes: number }>();
  let highestSeq = 0;
  let offset = 0;
  for (;;) {
    const outcome = readRecord(file, offset);
    if (outcome.status === 'end')
      return { entries: [...live.values()], highestSeq, size: offset };
    if (outcome.status === 'torn') {
      await setAside(path, file, offset, outcome.reason, log);
      return {
        entries: [...live.values()],
        highestSeq,
        size: offset,
        torn: outcome.reason,
      };
    }
    const record = outcome.record;
    if (record.kind === RecordKind.Entry) {
      live.set(record.entry.seq, { entry: record.entry, bytes: record.bytes });
      highestSeq = Math.max(highestSeq, record.entry.seq);
    } else if (record.kind === RecordKind.Removal) {
      for (const seq of record.seqs) live.delete(seq);
    } else {
      highestSeq = Math.max(highestSeq, record.seq);
    }
    offset += record.bytes;
  }
}

async function setAside(
  path: string,
  file: Buffer,
  offset: number,
  reason: string,
  log: Logger,
): Promise<void> {
  const tail = file.subarray(offset);
  // A short truncated tail is the ordinary power-cut case; a bad CRC is worth keeping.
  const keep = reason !== 'truncated';
  const aside = `${path}.torn-${Date.now()}`;
  if (keep) await writeFile(aside, tail);
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(offset);
    await handle.sync();
  } finally {
    await handle.close();
  }
  log.warn(
    { offset, bytes: tail.length, reason, keptAt: keep ? aside : undefined },
    'outbox: torn tail dropped (never acknowledged to the device)',
  );
}
