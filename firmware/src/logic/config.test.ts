import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readConfig } from './config';
import {
  postDefaults,
  postSettingNames,
  wearableDefaults,
  wearableSettingNames,
} from '../config/defaults';
import type { PostConfig } from '../config/defaults';

const good = { id: '0000002a', kind: 'post', key: 'ab'.repeat(32) };

test('a provisioned file gives the key bytes and the default timings', () => {
  const read = readConfig<PostConfig>(
    { ...good },
    'post',
    postDefaults,
    postSettingNames,
  );
  if (read.ok === false) throw new Error(read.error);
  assert.is(read.config.key.length, 32);
  assert.is(read.config.key[0], 0xab);
  assert.is(read.config.timings.heartbeatMs, 60000);
});

test('a timing override replaces its default', () => {
  const read = readConfig<PostConfig>(
    { ...good, heartbeatMs: 30000 },
    'post',
    postDefaults,
    postSettingNames,
  );
  assert.ok(read.ok && read.config.timings.heartbeatMs === 30000);
});

const refused: [string, unknown, string][] = [
  ['no file', undefined, 'the file'],
  ['a short id', { ...good, id: '2a' }, 'id'],
  ['an uppercase key', { ...good, key: 'AB'.repeat(32) }, 'key'],
  ['the wrong kind', { ...good, kind: 'wearable' }, 'kind'],
  ['an unknown setting', { ...good, heartbeatMS: 1 }, 'heartbeatMS'],
  ['a negative timing', { ...good, heartbeatMs: -1 }, 'heartbeatMs'],
  ['a timing given as text', { ...good, heartbeatMs: '60000' }, 'heartbeatMs'],
];
for (const [what, file, setting] of refused) {
  test(`${what} is refused with one line naming ${setting}`, () => {
    const read = readConfig<PostConfig>(file, 'post', postDefaults, postSettingNames);
    assert.is(read.ok, false);
    if (read.ok === true) return;
    assert.ok(read.error.startsWith('urgence.json: ' + setting + ' must be'), read.error);
    assert.not.match(read.error, /\n/);
  });
}

test('the setting names list every default of each device, in the same order', () => {
  assert.equal(postSettingNames, Object.keys(postDefaults));
  assert.equal(wearableSettingNames, Object.keys(wearableDefaults));
});

test('an override lands on the key at the same place as its name (keys may be shortened)', () => {
  const shortened = { a: 1, b: 2 };
  const read = readConfig({ ...good, second: 5 }, 'post', shortened, ['first', 'second']);
  assert.ok(read.ok && read.config.timings.b === 5 && read.config.timings.a === 1);
});

test.run();
