// On-disk records of the outbox log. Each record is self-checking, so after a power cut
// the reader can tell a complete record from a torn tail:
//   kind u8 | body length u32 LE | CRC-32 u32 LE (over kind, length and body) | body
// Entry bodies are CBOR arrays (cbor-x); removal bodies list the sequence numbers removed.
import { decode, encode } from 'cbor-x';
import { crc32 } from 'node:zlib';

export const HEADER_BYTES = 9;
/** Far above any frame (a post's COSE_Mac0 is < 100 bytes): a larger length is corruption. */
export const MAX_BODY_BYTES = 64 * 1024;

/** SeqMark: the highest seq ever issued, written by compaction so numbering never restarts. */
export const RecordKind = { Entry: 1, Removal: 2, SeqMark: 3 } as const;

/** What the gateway heard, as it will travel in the uplink envelope (CONTRACTS.md). */
export type Uplink = {
  /** 'gateway': a record the gateway itself raises about a post (README.md, "Faults"). */
  link: 'serial' | 'ble' | 'gateway';
  /** For link 'gateway' only: what the gateway observed. */
  event?: 'post-silent' | 'post-back';
  frame: Uint8Array;
  port?: string;
  rssi?: number;
  firstHeard: number;
  lastHeard: number;
  copies: number;
};

/**
 * Priority class: heartbeats may be coalesced (latest per device kept) when space runs
 * short; alarms and everything else are never dropped.
 */
export type EntryClass = 'alarm' | 'heartbeat' | 'other';

export type OutboxEntry = {
  seq: number;
  /** Ordering key: a post's device id, or `ble:<rotating id hex>` for a wearable. */
  device: string;
  class: EntryClass;
  uplink: Uplink;
};

export type DecodedRecord =
  | { kind: typeof RecordKind.Entry; entry: OutboxEntry; bytes: number }
  | { kind: typeof RecordKind.Removal; seqs: number[]; bytes: number }
  | { kind: typeof RecordKind.SeqMark; seq: number; bytes: number };

export type ReadOutcome =
  | { status: 'record'; record: DecodedRecord }
  | { status: 'end' }
  | { status: 'torn'; reason: 'truncated' | 'bad-crc' | 'bad-length' | 'bad-body' };

function frameRecord(kind: number, body: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  out.writeUInt8(kind, 0);
  out.writeUInt32LE(body.length, 1);
  out.set(body, HEADER_BYTES);
  const crc = crc32(body, crc32(out.subarray(0, 5)));
  out.writeUInt32LE(crc, 5);
  return out;
}

export function encodeEntry(entry: OutboxEntry): Buffer {
  const u = entry.uplink;
  const body = encode([
    entry.seq,
    entry.device,
    entry.class,
    u.link,
    u.frame,
    u.port ?? null,
    u.rssi ?? null,
    u.firstHeard,
    u.lastHeard,
    u.copies,
    u.event ?? null,
  ]);
  return frameRecord(RecordKind.Entry, body);
}

export function encodeRemoval(seqs: number[]): Buffer {
  return frameRecord(RecordKind.Removal, encode(seqs));
}

export function encodeSeqMark(seq: number): Buffer {
  return frameRecord(RecordKind.SeqMark, encode(seq));
}

function entryFromBody(body: unknown): OutboxEntry | undefined {
  if (!Array.isArray(body) || body.length !== 11) return undefined;
  const [
    seq,
    device,
    cls,
    link,
    frame,
    port,
    rssi,
    firstHeard,
    lastHeard,
    copies,
    event,
  ] = body;
  if (typeof seq !== 'number' || typeof device !== 'string') return undefined;
  if (!(frame instanceof Uint8Array) || !['serial', 'ble', 'gateway'].includes(link)) {
    return undefined;
  }
  const uplink: Uplink = {
    link,
    frame: new Uint8Array(frame),
    firstHeard: firstHeard as number,
    lastHeard: lastHeard as number,
    copies: copies as number,
  };
  if (typeof port === 'string') uplink.port = port;
  if (typeof rssi === 'number') uplink.rssi = rssi;
  if (event === 'post-silent' || event === 'post-back') uplink.event = event;
  return { seq, device, class: cls as EntryClass, uplink };
}

/** Reads the record starting at `offset` of `file`; never throws on bad bytes. */
export function readRecord(file: Buffer, offset: number): ReadOutcome {
  if (offset === file.length) return { status: 'end' };
  if (offset + HEADER_BYTES > file.length) return { status: 'torn', reason: 'truncated' };
  const kind = file.readUInt8(offset);
  const length = file.readUInt32LE(offset + 1);
  if (length > MAX_BODY_BYTES) return { status: 'torn', reason: 'bad-length' };
  const end = offset + HEADER_BYTES + length;
  if (end > file.length) return { status: 'torn', reason: 'truncated' };
  const body = file.subarray(offset + HEADER_BYTES, end);
  const expected = crc32(body, crc32(file.subarray(offset, offset + 5)));
  if (expected !== file.readUInt32LE(offset + 5))
    return { status: 'torn', reason: 'bad-crc' };

  let value: unknown;
  try {
    value = decode(body);
  } catch {
    return { status: 'torn', reason: 'bad-body' };
  }
  const bytes = HEADER_BYTES + length;
  if (kind === RecordKind.SeqMark && typeof value === 'number') {
    return { status: 'record', record: { kind, seq: value, bytes } };
  }
  if (kind === RecordKind.Removal && Array.isArray(value)) {
    return { status: 'record', record: { kind, seqs: value as number[], bytes } };
  }
  const entry = kind === RecordKind.Entry ? entryFromBody(value) : undefined;
  if (entry === undefined) return { status: 'torn', reason: 'bad-body' };
  return { status: 'record', record: { kind: RecordKind.Entry, entry, bytes } };
}
