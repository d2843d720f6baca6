// A small world for ingest tests: a registry in a temporary SQLite file with posts,
// wearables and gateways, an ingest whose publishes are captured, a settable clock, and
// builders for the uplink envelopes gateways send (sealed with protocol/).
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import {
  MessageType,
  encodeWearableFrame,
  sealMessage,
  windowOf,
} from '@urgence/protocol';
import type { DeviceMessage, UplinkMessage } from '@urgence/protocol';
import type { faultJson } from '../../feed/publisher';
import { openRegistry } from '../../registry/index';
import type { Registry } from '../../registry/index';
import { createIngest } from '../index';
import type { Ingest } from '../index';
import { encodeUplink } from '../envelope';
import { sha256 } from '../crypto';

export interface Published {
  topic: string;
  payload: Buffer;
  retain: boolean;
}

export const POST = '0000002a';
export const WEARABLE = '000000aa';
export const postKey = new Uint8Array(32).fill(7);
export const wearableKey = new Uint8Array(32).fill(9);
export const START = Date.UTC(2026, 11, 3, 19, 0, 10);

/** One line of the fault stream, as the feed writes it. */
export type FaultLine = ReturnType<typeof faultJson>;

export const alarm = (counter: number) => ({ type: MessageType.Alarm, counter }) as const;

/**
 * Gateway secrets are scrypt-hashed (slow on purpose), so the registered devices and
 * gateways are made once per test file and each world starts from a copy of that file.
 */
let template: string | undefined;

function templateFile(): string {
  if (template !== undefined) return template;
  const dir = mkdtempSync(join(tmpdir(), 'urgence-ingest-template-'));
  const registry = openRegistry(join(dir, 'broker.db'));
  populate(registry);
  registry.db.pragma('wal_checkpoint(TRUNCATE)');
  registry.close();
  template = join(dir, 'broker.db');
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return template;
}

function populate(registry: Registry): void {
  registry.addDevice({
    id: POST,
    kind: 'post',
    key: postKey,
    location: { lat: 48.8566, lon: 2.3522, label: 'Place de l’Hôtel de Ville' },
  });
  registry.addDevice({
    id: WEARABLE,
    kind: 'wearable',
    key: wearableKey,
    policy: 'area',
  });
  for (const [id, lat] of [
    ['gw-a', 48.85],
    ['gw-b', 48.851],
    ['gw-c', 48.852],
  ] as const) {
    registry.addGateway({
      id,
      secret: 'a-long-gateway-secret',
      location: { lat, lon: 2.35 },
    });
  }
}

export class World {
  readonly dir = mkdtempSync(join(tmpdir(), 'urgence-ingest-'));
  registry!: Registry;
  ingest!: Ingest;
  readonly sent: Published[] = [];
  now = START;

  constructor() {
    copyFileSync(templateFile(), join(this.dir, 'broker.db'));
    this.open();
  }

  /** Opens (or reopens, as after a restart) the registry file and a fresh ingest. */
  open(): void {
    this.registry = openRegistry(join(this.dir, 'broker.db'));
    this.ingest = createIngest({
      registry: this.registry,
      publish: async (topic, payload, options) => {
        this.sent.push({ topic, payload: Buffer.from(payload), retain: options.retain });
      },
      clock: { now: () => this.now },
      logger: pino({ level: 'silent' }),
      timers: { setInterval: () => 0, clearInterval: () => undefined },
    });
  }

  restart(): void {
    this.ingest.stop();
    this.registry.close();
    this.open();
  }

  close(): void {
    this.ingest.stop();
    this.registry.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  on(topic: string): Published[] {
    return this.sent.filter((entry) => entry.topic === topic);
  }

  json<T>(topic: string): T[] {
    return this.on(topic).map((entry) => JSON.parse(entry.payload.toString()) as T);
  }

  faultLines(): FaultLine[] {
    return this.json<FaultLine>('urgence/v1/feed/faults');
  }
}

export function postFrame(message: DeviceMessage, key = postKey, id = POST): Uint8Array {
  return sealMessage(sha256, id, key, message);
}

export function wearableFrame(message: UplinkMessage, at: number, key = wearableKey) {
  return encodeWearableFrame(sha256, key, {
    window: windowOf(Math.floor(at / 1000)),
    message,
  });
}

export function uplink(
  frame: Uint8Array,
  options: {
    link?: 'serial' | 'ble';
    rssi?: number;
    heardAt?: number;
    copies?: number;
  } = {},
): Buffer {
  const heardAt = options.heardAt ?? START - 500;
  return encodeUplink({
    v: 1,
    link: options.link ?? 'serial',
    frame,
    ...(options.rssi === undefined ? {} : { rssi: options.rssi }),
    firstHeard: heardAt,
    lastHeard: heardAt + 100,
    copies: options.copies ?? 1,
    outboxSeq: 1,
  });
}
