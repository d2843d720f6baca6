import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  appendFileSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Outbox, OutboxFullError } from './outbox';
import type { EntryClass, Uplink } from './outbox';

const log = pino({ level: 'silent' });
let dirs: string[] = [];

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'urgence-outbox-'));
  dirs.push(dir);
  return dir;
}

function uplink(counter: number): Uplink {
  const frame = new Uint8Array(48).fill(counter & 0xff);
  return {
    link: 'serial',
    frame,
    port: '/dev/ttyUSB0',
    firstHeard: 1,
    lastHeard: 1,
    copies: 1,
  };
}

async function fill(outbox: Outbox, device: string, cls: EntryClass, n: number) {
  for (let i = 0; i < n; i++) await outbox.append(device, cls, uplink(i));
}

test.after.each(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

test('appended entries come back after reopening, in order', async () => {
  const dir = freshDir();
  const first = await Outbox.open({ dir, maxBytes: 1 << 20, log });
  await fill(first, '0000002a', 'alarm', 5);
  await first.close();

  const second = await Outbox.open({ dir, maxBytes: 1 << 20, log });
  const seqs = [];
  for (let e = second.take(); e; e = second.take()) {
    seqs.push(e.seq);
    second.remove(e);
  }
  assert.equal(seqs, [1, 2, 3, 4, 5]);
  await second.close();
});

test('a removed entry does not come back after reopening', async () => {
  const dir = freshDir();
  const first = await Outbox.open({ dir, maxBytes: 1 << 20, log });
  await fill(first, '0000002a', 'alarm', 2);
  first.remove(first.take()!);
  await first.close();

  const second = await Outbox.open({ dir, maxBytes: 1 << 20, log });
  assert.is(second.depth, 1);
  assert.is(second.take()?.seq, 2);
  await second.close();
});

test('a torn last record is dropped and the records before it are kept', async () => {
  const dir = freshDir();
  const first = await Outbox.open({ dir, maxBytes: 1 << 20, log });
  await fill(first, '0000002a', 'alarm', 3);
  await first.close();
  const path = join(dir, 'outbox.log');
  truncateSync(path, statSync(path).size - 7);

  const second = await Outbox.open({ dir, maxBytes: 1 << 20, log });
  assert.is(second.depth, 2);
  await second.append('0000002a', 'alarm', uplink(9));
  await second.close();
  const third = await Outbox.open({ dir, maxBytes: 1 << 20, log });
  assert.is(third.depth, 3, 'an append after the cut lands on a clean tail');
  await third.close();
});

test('a record with a bad CRC ends the replay and is kept aside for an operator', async () => {
  const dir = freshDir();
  const first = await Outbox.open({ dir, maxBytes: 1 << 20, log });
  await fill(first, '0000002a', 'alarm', 2);
  await first.close();
  appendFileSync(
    join(dir, 'outbox.log'),
    Buffer.from([1, 4, 0, 0, 0, 9, 9, 9, 9, 1, 2, 3, 4]),
  );

  const second = await Outbox.open({ dir, maxBytes: 1 << 20, log });
  assert.is(second.depth, 2);
  assert.ok(readdirSync(dir).some((name) => name.startsWith('outbox.log.torn-')));
  await second.close();
});

test('compaction shrinks the log, keeps what is pending and never reuses a seq', async () => {
  const dir = freshDir();
  const first = await Outbox.open({ dir, maxBytes: 1 << 20, log, compactMinBytes: 4096 });
  await fill(first, '0000002a', 'alarm', 200);
  for (let i = 0; i < 195; i++) first.remove(first.take()!);
  await first.append('0000002a', 'alarm', uplink(1)); // lets the writer run its check
  await first.close();
  assert.ok(first.stats.compactions >= 1);
  assert.ok(statSync(join(dir, 'outbox.log')).size < 2000);

  const second = await Outbox.open({ dir, maxBytes: 1 << 20, log });
  assert.is(second.depth, 6);
  assert.is(second.take()?.seq, 196);
  for (let e = second.take(); e; e = second.take()) second.remove(e);
  const next = await second.append('0000002a', 'alarm', uplink(2));
  assert.is(next.seq, 202, 'numbering continues after the compacted history');
  await second.close();
});

test('one device has at most one entry in flight; other devices proceed', async () => {
  const outbox = await Outbox.open({ dir: freshDir(), maxBytes: 1 << 20, log });
  await fill(outbox, 'aaaaaaaa', 'alarm', 2);
  await fill(outbox, 'bbbbbbbb', 'alarm', 1);
  const a1 = outbox.take()!;
  const b1 = outbox.take()!;
  assert.equal([a1.device, b1.device], ['aaaaaaaa', 'bbbbbbbb']);
  assert.is(outbox.take(), undefined, "a's second entry waits for the first's receipt");
  outbox.remove(a1);
  assert.is(outbox.take()?.seq, 2);
  await outbox.close();
});

test('concurrent appends share disk flushes (group commit)', async () => {
  const outbox = await Outbox.open({ dir: freshDir(), maxBytes: 1 << 20, log });
  await Promise.all(
    Array.from({ length: 100 }, (_, i) => outbox.append(`d${i}`, 'alarm', uplink(i))),
  );
  assert.is(outbox.stats.appended, 100);
  assert.ok(
    outbox.stats.commits < 100,
    `${outbox.stats.commits} flushes for 100 appends`,
  );
  await outbox.close();
});

test('when space runs short, older heartbeats of a device make room for an alarm', async () => {
  const outbox = await Outbox.open({ dir: freshDir(), maxBytes: 64 * 1024, log });
  // ~110-byte records: 500 heartbeats of 5 posts fill most of 64 KiB.
  for (let i = 0; i < 500; i++)
    await outbox.append(`post${i % 5}`, 'heartbeat', uplink(i));
  await fill(outbox, 'alarmer1', 'alarm', 200);
  const pending = [];
  for (let e = outbox.take(); e; e = outbox.take()) pending.push(e);
  const beats = pending.filter((e) => e.class === 'heartbeat');
  assert.is(pending.filter((e) => e.class === 'alarm').length, 1, 'alarm head in flight');
  assert.is(outbox.depth, 200 + beats.length);
  assert.is(beats.length, 5, 'the latest heartbeat of each post is kept');
  assert.ok(beats.every((e) => e.seq > 495));
  await outbox.close();
});

test('an outbox full of alarms refuses the next one with a typed error', async () => {
  const outbox = await Outbox.open({ dir: freshDir(), maxBytes: 64 * 1024, log });
  let refused: unknown;
  try {
    for (let i = 0; i < 1000; i++) await outbox.append(`d${i}`, 'alarm', uplink(i));
  } catch (error) {
    refused = error;
  }
  assert.instance(refused, OutboxFullError);
  assert.is((refused as OutboxFullError).reason, 'capacity');
  assert.ok(outbox.depth > 400, 'every alarm accepted before is still there');
  await outbox.close();
});

test('an alarm committed with heartbeats takes the last room before them', async () => {
  const outbox = await Outbox.open({ dir: freshDir(), maxBytes: 64 * 1024, log });
  const refused = (p: Promise<unknown>) =>
    p.then(
      () => false,
      () => true,
    );
  for (let i = 0; !(await refused(outbox.append(`d${i}`, 'alarm', uplink(i)))); i++);
  for (let i = 0; i < 5; i++) {
    const receipted = outbox.take();
    if (receipted) outbox.remove(receipted); // room for about five records
  }
  // Appended in one tick: all but the first share one group commit, the alarm last.
  const beats = Array.from({ length: 20 }, (_, i) =>
    refused(outbox.append('post1', 'heartbeat', uplink(i))),
  );
  const alarm = refused(outbox.append('post2', 'alarm', uplink(99)));
  assert.is(await alarm, false, 'the alarm is stored');
  const beatsRefused = (await Promise.all(beats)).filter(Boolean).length;
  assert.ok(beatsRefused > 0, 'heartbeats got only what the alarm left');
  await outbox.close();
});

test('a full disk (ENOSPC) fails the append with a clear error and no crash', async () => {
  const dir = freshDir();
  symlinkSync('/dev/full', join(dir, 'outbox.log'));
  const outbox = await Outbox.open({ dir, maxBytes: 1 << 20, log });
  const error = await outbox.append('0000002a', 'alarm', uplink(1)).catch((e) => e);
  assert.instance(error, OutboxFullError);
  assert.is(error.reason, 'disk-full');
  assert.is(outbox.stats.diskErrors, 1);
  assert.match(outbox.stats.lastError ?? '', /ENOSPC/);
  await outbox.close();
});

test.run();
