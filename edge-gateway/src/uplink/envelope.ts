// Uplink and downlink envelopes (CBOR, CONTRACTS.md). The uplink carries the device's
// frame untouched (the ingest verifies it); the downlink is validated here, because a bad
// message from the broker must be counted and dropped, not crash the gateway.
import { decode, encode } from 'cbor-x';
import type { OutboxEntry } from '../outbox/outbox';

export type UplinkEnvelope = {
  v: 1;
  link: 'serial' | 'ble' | 'gateway';
  /** Gateway records only: the post concerned and what was observed. */
  device?: string;
  event?: 'post-silent' | 'post-back';
  frame: Uint8Array;
  port?: string;
  rssi?: number;
  firstHeard: number;
  lastHeard: number;
  copies: number;
  outboxSeq: number;
};

export type DownlinkEnvelope = {
  v: 1;
  link: 'serial' | 'ble';
  device?: string;
  rotatingId?: Uint8Array;
  frame: Uint8Array;
};

export type DownlinkResult =
  | { ok: true; value: DownlinkEnvelope }
  | { ok: false; error: { code: string; message: string } };

export function encodeUplink(entry: OutboxEntry): Buffer {
  const u = entry.uplink;
  const envelope: UplinkEnvelope = {
    v: 1,
    link: u.link,
    frame: u.frame,
    firstHeard: u.firstHeard,
    lastHeard: u.lastHeard,
    copies: u.copies,
    outboxSeq: entry.seq,
  };
  if (u.port !== undefined) envelope.port = u.port;
  if (u.rssi !== undefined) envelope.rssi = u.rssi;
  if (u.link === 'gateway') {
    envelope.device = entry.device;
    envelope.event = u.event;
  }
  return encode(envelope);
}

const DEVICE_ID = /^[0-9a-f]{8}$/;

function invalid(message: string): DownlinkResult {
  return { ok: false, error: { code: 'bad-downlink', message } };
}

export function decodeDownlink(payload: Buffer): DownlinkResult {
  let value: unknown;
  try {
    value = decode(payload);
  } catch {
    return invalid('not CBOR');
  }
  if (typeof value !== 'object' || value === null) return invalid('not a CBOR map');
  const d = value as Record<string, unknown>;
  if (d.v !== 1) return invalid(`unknown version ${String(d.v)}`);
  if (!(d.frame instanceof Uint8Array)) return invalid('frame must be bytes');
  const frame = new Uint8Array(d.frame);
  if (d.link === 'serial') {
    if (typeof d.device !== 'string' || !DEVICE_ID.test(d.device)) {
      return invalid('serial downlink needs device: 8 lowercase hex digits');
    }
    return { ok: true, value: { v: 1, link: 'serial', device: d.device, frame } };
  }
  if (d.link === 'ble') {
    const envelope: DownlinkEnvelope = { v: 1, link: 'ble', frame };
    if (d.rotatingId instanceof Uint8Array)
      envelope.rotatingId = new Uint8Array(d.rotatingId);
    if (typeof d.device === 'string') envelope.device = d.device;
    return { ok: true, value: envelope };
  }
  return invalid("link must be 'serial' or 'ble'");
}
