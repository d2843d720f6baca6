import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageType, sealMessage } from '@urgence/protocol';
import { pino } from 'pino';
import { parseConfig } from '../config';
import { sha256, wearableAdvert } from '../testing/wearable';
import { Outbox } from './outbox';
import type { EntryClass, Uplink } from './outbox';

// 24 h of a full cluster without a broker (README.md, "Outbox sizing"), appended as fast as
// the disk takes it, with the timestamps the real traffic would carry. A full cluster:
// DESIGN.md's 20,000 posts over 500 gateways is 40 posts per gateway, each heartbeating
// every minute; 2,000 wearables in range (10 times the city's 100,000 / 500 average: a
// dense district heard by several gateways), each heartbeating once a day; 1,000 alarms.
const POSTS = 40;
const WEARABLES = 2000;
const ALARMS = 1000;
const MINUTES = 24 * 60;
const START = Date.UTC(2026, 0, 5);
const log = pino({ level: 'silent' });
const postKey = new Uint8Array(32).fill(7);
const wearableKey = new Uint8Array(32).fill(8);

type Record = { device: string; class: EntryClass; uplink: Uplink };

const postId = (p: number) => (0x300 + p).toString(16).padStart(8, '0');

/** What the gateway would append during simulated minute `m`, as real frames. */
function minuteOfTraffic(m: number): Record[] {
  const at = START + m * 60_000;
  const serial = (
    post: number,
    type: typeof MessageType.Alarm | typeof MessageType.Heartbeat,
    counter: number,
  ): Uplink => ({
    link: 'serial',
    frame: sealMessage(sha256, postId(post), postKey, { type, counter }),
    port: `/dev/urgence-post-${post + 1}`,
    firstHeard: at,
    lastHeard: at,
    copies: 1,
  });
  const records: Record[] = [];
  for (let p = 0; p < POSTS; p++) {
    records.push({
      device: postId(p),
      class: 'heartbeat',
      uplink: serial(p, MessageType.Heartbeat, m + 1),
    });
  }
  for (let w = 0; w < WEARABLES; w++) {
    if (Math.floor((w * MINUTES) / WEARABLES) !== m) continue;
    const frame = wearableAdvert(
      wearableKey,
      { type: MessageType.Heartbeat, counter: w },
      at,
    ).subarray(2);
    const uplink: Uplink = {
      link: 'ble',
      frame,
      rssi: -80,
      firstHeard: at,
      lastHeard: at + 300,
      copies: 9,
    };
    records.push({
      device: `ble:${frame.subarray(1, 9).toString('hex')}`,
      class: 'heartbeat',
      uplink,
    });
  }
  for (let a = 0; a < ALARMS; a++) {
    if (Math.floor((a * MINUTES) / ALARMS) !== m) continue;
    const post = a % POSTS;
    records.push({
      device: postId(post),
      class: 'alarm',
      uplink: serial(post, MessageType.Alarm, 10_000 + a),
    });
  }
  return records;
}

type DayOutcome = {
  outbox: Outbox;
  alarmsRefused: number;
  /** File size just before the first minute in which heartbeats were coalesced. */
  bytesBeforeFirstCoalescing: number | undefined;
};

/** Appends the whole day, one group commit per simulated minute. */
async function appendDay(maxBytes: number): Promise<DayOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'urgence-capacity-'));
  dirs.push(dir);
  const outbox = await Outbox.open({ dir, maxBytes, log });
  let alarmsRefused = 0;
  let bytesBeforeFirstCoalescing: number | undefined;
  for (let m = 0; m < MINUTES; m++) {
    const before = outbox.fileBytes;
    const coalescedBefore = outbox.stats.coalesced;
    await Promise.all(
      minuteOfTraffic(m).map((r) =>
        outbox.append(r.device, r.class, r.uplink).catch(() => {
          if (r.class === 'alarm') alarmsRefused++;
        }),
      ),
    );
    if (
      bytesBeforeFirstCoalescing === undefined &&
      outbox.stats.coalesced > coalescedBefore
    )
      bytesBeforeFirstCoalescing = before;
  }
  return { outbox, alarmsRefused, bytesBeforeFirstCoalescing };
}

let dirs: string[] = [];
test.after.each(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

const DAY_RECORDS = POSTS * MINUTES + WEARABLES + ALARMS;

test('the default budget holds 24 h of a full cluster with nothing coalesced', async () => {
  const { outbox: budget } = parseConfig({
    gatewayId: 'gw-size',
    broker: { url: 'mqtt://127.0.0.1:1883', secret: 's' },
    outbox: { dir: '/unused' },
  });
  const { outbox, alarmsRefused } = await appendDay(budget.maxBytes);
  assert.is(outbox.depth, DAY_RECORDS, 'every record of the day is kept');
  assert.is(outbox.stats.coalesced, 0, 'under budget nothing is coalesced');
  assert.is(outbox.stats.refused, 0);
  assert.is(alarmsRefused, 0);
  assert.ok(outbox.fileBytes <= budget.maxBytes);
  console.log(
    `  24 h of a full cluster: ${DAY_RECORDS} records, ` +
      `${(outbox.fileBytes / 1e6).toFixed(2)} MB of a ${budget.maxBytes / 2 ** 20} MiB budget`,
  );
  await outbox.close();
});

test('over budget, heartbeats are coalesced and no alarm is dropped', async () => {
  const maxBytes = 2 * 1024 * 1024; // about a third of the day
  const { outbox, alarmsRefused, bytesBeforeFirstCoalescing } = await appendDay(maxBytes);
  const pending = outbox.pending();
  assert.is(alarmsRefused, 0);
  assert.is(
    pending.filter((e) => e.class === 'alarm').length,
    ALARMS,
    'every alarm kept',
  );
  assert.ok(outbox.stats.coalesced > 0, 'heartbeats gave way');
  assert.ok(outbox.fileBytes <= maxBytes);
  // Coalescing starts only when the budget runs short: within a few minutes of traffic.
  assert.ok((bytesBeforeFirstCoalescing ?? 0) > maxBytes - 32 * 1024, 'not before');
  for (let p = 0; p < POSTS; p++) {
    const beats = pending.filter(
      (e) => e.device === postId(p) && e.class === 'heartbeat',
    );
    const latest = beats.at(-1)?.uplink.lastHeard;
    assert.is(
      latest,
      START + (MINUTES - 1) * 60_000,
      `post ${p}: its latest heartbeat kept`,
    );
  }
  await outbox.close();
});

test.run();
