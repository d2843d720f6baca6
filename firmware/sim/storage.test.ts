// Storage behaves as Espruino's journal: rewrites append, trash until compact, a full
// journal fails with Espruino's error.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StorageJournal } from './storage';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

test('a rewrite appends a new copy and turns the old one into trash', () => {
  const journal = new StorageJournal(4096);
  journal.write('urgence.ctr', bytes('1'));
  journal.write('urgence.ctr', bytes('2'));
  const stats = journal.stats();
  assert.is(stats.fileCount, 1);
  assert.is(stats.trashCount, 1);
  assert.is(new TextDecoder().decode(journal.find('urgence.ctr')), '2');
});

test('an identical rewrite writes nothing, as jsflash.c does', () => {
  const journal = new StorageJournal(4096);
  journal.write('a', bytes('same'));
  journal.write('a', bytes('same'));
  assert.is(journal.stats().trashCount, 0);
  assert.is(journal.writes, 1);
});

test('compact drops the trash and gives its space back', () => {
  const journal = new StorageJournal(4096);
  journal.write('a', bytes('one'));
  journal.write('a', bytes('two'));
  const before = journal.stats().freeBytes;
  journal.compact();
  assert.is(journal.stats().trashBytes, 0);
  assert.ok(journal.stats().freeBytes > before);
});

test('a write that does not fit compacts first, then succeeds if that freed enough', () => {
  const journal = new StorageJournal(200);
  for (let i = 0; i < 4; i++) journal.write('log', new Uint8Array(40).fill(i));
  assert.is(journal.compactions, 1);
  assert.equal([...journal.find('log')!.subarray(0, 1)], [3]);
});

test("a write that cannot fit fails with Espruino's error and loses the old copy", () => {
  const journal = new StorageJournal(200);
  journal.write('big', new Uint8Array(100));
  assert.throws(
    () => journal.write('big', new Uint8Array(180)),
    /Unable to find or create file/,
  );
  assert.is(journal.find('big'), undefined);
});

test('a file created with a size is filled in place by writes at an offset', () => {
  const journal = new StorageJournal(4096);
  journal.write('alarm', bytes('ab'), 0, 4);
  journal.write('alarm', bytes('cd'), 2);
  assert.is(new TextDecoder().decode(journal.find('alarm')), 'abcd');
  assert.is(journal.stats().trashCount, 0);
});

test('writing over bytes already written fails as flash does', () => {
  const journal = new StorageJournal(4096);
  journal.write('alarm', bytes('ab'), 0, 4);
  assert.throws(() => journal.write('alarm', bytes('x'), 1), /already written/);
});

test('empty data is refused without an error', () => {
  assert.is(new StorageJournal(4096).write('a', new Uint8Array(0)), false);
});

test('file names longer than 28 characters are refused', () => {
  assert.throws(
    () => new StorageJournal(4096).write('x'.repeat(29), bytes('1')),
    /1\.\.28/,
  );
});

test.run();
