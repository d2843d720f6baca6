// The CBOR envelopes between gateways and the broker (CONTRACTS.md, "MQTT topics"):
// decoding the uplink one, which comes from the network and is checked field by field,
// and encoding the downlink one that carries acks to the gateway.
import { decode, encode } from 'cbor-x';

export type LinkKind = 'serial' | 'ble';

export interface UplinkEnvelope {
  readonly v: 1;
  readonly link: LinkKind;
  readonly frame: Uint8Array;
  readonly port?: string;
  readonly rssi?: number;
  readonly firstHeard: number;
  readonly lastHeard: number;
  readonly copies: number;
  readonly outboxSeq: number;
}

/**
 * A record the gateway itself writes (edge-gateway/README.md): it holds no device key,
 * so it cannot sign; what it says is trusted for supervision only, never for alarms.
 * `firstHeard` is when it last heard the post, `lastHeard` when it noticed the change.
 */
export interface GatewayReport {
  readonly v: 1;
  readonly link: 'gateway';
  readonly event: string;
  readonly device: string;
  readonly port?: string;
  readonly firstHeard: number;
  readonly lastHeard: number;
  readonly outboxSeq: number;
}

export interface DownlinkEnvelope {
  readonly v: 1;
  readonly link: LinkKind;
  readonly device?: string;
  readonly rotatingId?: Uint8Array;
  readonly frame: Uint8Array;
}

/**
 * Largest device frame accepted: a post's COSE_Mac0 is well under 100 bytes and a
 * wearable frame is at most 24 (DESIGN.md); 512 leaves room for growth, not for abuse.
 */
export const MAX_FRAME_BYTES = 512;

export type EnvelopeResult =
  | { ok: true; envelope: UplinkEnvelope }
  | { ok: true; report: GatewayReport }
  | { ok: false; reason: string };

const DEVICE_ID = /^[0-9a-f]{8}$/;

/** Event names are checked against the allowed table later; here only their shape. */
const EVENT_NAME = /^[a-z-]{1,32}$/;

/**
 * Latest hearing time believed: the end of year 9999, the last instant ISO 8601 and
 * CAP's xs:dateTime write with four-digit years. Past it the feed could not print the
 * time (JavaScript dates stop at 8.64e15 ms and `toISOString` throws), so a larger
 * value is refused here rather than failing after the record. Anything earlier passes:
 * a gateway with a wrong clock still carries a real alarm (record.ts clamps the press
 * time), and refusing it would lose the alarm.
 */
export const MAX_HEARING_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** A time a gateway heard something: ms since the epoch, within what the feed prints. */
function isTime(value: unknown): value is number {
  return isSequence(value) && value <= MAX_HEARING_TIME_MS;
}

function isSequence(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

const HEARING_TIMES =
  'firstHeard and lastHeard must be ms epoch integers from 0 to the end of year 9999';

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

/** Decodes and checks an uplink payload; never throws. */
export function decodeUplink(payload: Uint8Array): EnvelopeResult {
  let raw: unknown;
  try {
    raw = decode(payload);
  } catch {
    return { ok: false, reason: 'envelope is not CBOR' };
  }
  if (typeof raw !== 'object' || raw === null || raw instanceof Uint8Array) {
    return { ok: false, reason: 'envelope is not a CBOR map' };
  }
  const fields = raw as Record<string, unknown>;
  if (fields.v !== 1)
    return { ok: false, reason: `unknown envelope version ${String(fields.v)}` };
  if (fields.link === 'gateway') return decodeGatewayReport(fields);
  if (fields.link !== 'serial' && fields.link !== 'ble') {
    return { ok: false, reason: 'link must be serial, ble or gateway' };
  }
  if (!(fields.frame instanceof Uint8Array) || fields.frame.length === 0) {
    return { ok: false, reason: 'frame must be a non-empty byte string' };
  }
  if (fields.frame.length > MAX_FRAME_BYTES) {
    return { ok: false, reason: `frame over ${MAX_FRAME_BYTES} bytes` };
  }
  if (!isTime(fields.firstHeard) || !isTime(fields.lastHeard)) {
    return { ok: false, reason: HEARING_TIMES };
  }
  if (!isCount(fields.copies) || !isSequence(fields.outboxSeq)) {
    return { ok: false, reason: 'copies must be >= 1 and outboxSeq an integer' };
  }
  const rssi = fields.rssi;
  // NaN is a CBOR number too; it would pass both comparisons.
  if (
    rssi !== undefined &&
    (typeof rssi !== 'number' || !Number.isFinite(rssi) || rssi < -150 || rssi > 20)
  ) {
    return { ok: false, reason: 'rssi must be a dBm number' };
  }
  const port = fields.port;
  if (port !== undefined && typeof port !== 'string') {
    return { ok: false, reason: 'port must be a string' };
  }
  return {
    ok: true,
    envelope: {
      v: 1,
      link: fields.link,
      frame: new Uint8Array(fields.frame),
      ...(port === undefined ? {} : { port }),
      ...(rssi === undefined ? {} : { rssi: Math.round(rssi) }),
      firstHeard: Math.min(fields.firstHeard, fields.lastHeard),
      lastHeard: Math.max(fields.firstHeard, fields.lastHeard),
      copies: fields.copies,
      outboxSeq: fields.outboxSeq,
    },
  };
}

/** A gateway's own record: an event about one device, and no frame (nothing signed). */
function decodeGatewayReport(fields: Record<string, unknown>): EnvelopeResult {
  if (typeof fields.event !== 'string' || !EVENT_NAME.test(fields.event)) {
    return { ok: false, reason: 'gateway record: event must be a short name' };
  }
  if (typeof fields.device !== 'string' || !DEVICE_ID.test(fields.device)) {
    return { ok: false, reason: 'gateway record: device must be 8 lowercase hex digits' };
  }
  if (!(fields.frame instanceof Uint8Array) || fields.frame.length !== 0) {
    return { ok: false, reason: 'gateway record: frame must be empty' };
  }
  if (!isTime(fields.firstHeard) || !isTime(fields.lastHeard)) {
    return { ok: false, reason: HEARING_TIMES };
  }
  if (!isSequence(fields.outboxSeq)) {
    return { ok: false, reason: 'outboxSeq must be an integer' };
  }
  const port = fields.port;
  if (port !== undefined && (typeof port !== 'string' || port.length > 128)) {
    return { ok: false, reason: 'port must be a string of at most 128 characters' };
  }
  return {
    ok: true,
    report: {
      v: 1,
      link: 'gateway',
      event: fields.event,
      device: fields.device,
      ...(port === undefined ? {} : { port }),
      firstHeard: fields.firstHeard,
      lastHeard: fields.lastHeard,
      outboxSeq: fields.outboxSeq,
    },
  };
}

export function encodeDownlink(envelope: DownlinkEnvelope): Buffer {
  return encode(envelope);
}

export function encodeUplink(envelope: UplinkEnvelope): Buffer {
  return encode(envelope);
}
