import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cborEncode } from './cbor';
import { pushHead, readSmallMap } from './cbor-write';
import { describeError } from './error-text';
import { AckStage, MessageType, encodeMessage } from './messages';
import { openPostAck } from './post-ack';
import { sealMessage } from './seal';
import { hex, sha256, toHex } from './test/node-crypto';
import { seededRandom } from './test/seeded-random';

const key = hex('42'.repeat(32));
const kid = hex('0000002a');
const helpComing = {
  type: MessageType.Ack,
  ref: 70000,
  stage: AckStage.HelpComing,
  eta: 300,
} as const;

function codeOf(bytes: Uint8Array): string {
  const opened = openPostAck(sha256, key, kid, bytes);
  return opened.ok ? 'ok' : opened.error.code;
}

test('a post opens the ack the server sealed for it', () => {
  const opened = openPostAck(
    sha256,
    key,
    kid,
    sealMessage(sha256, '0000002a', key, helpComing),
  );
  assert.ok(opened.ok);
  if (opened.ok) assert.equal(opened.value, helpComing);
});

test('an ack for another post, under another key or altered is refused', () => {
  assert.is(codeOf(sealMessage(sha256, '0000002b', key, helpComing)), 'not-cose-mac0');
  assert.is(
    codeOf(sealMessage(sha256, '0000002a', hex('43'.repeat(32)), helpComing)),
    'bad-tag',
  );
  const altered = sealMessage(sha256, '0000002a', key, helpComing);
  altered[altered.length - 12] ^= 1;
  assert.is(codeOf(altered), 'bad-tag');
});

test('a correctly tagged message that is not an ack is bad-field', () => {
  const alarm = { type: MessageType.Alarm, counter: 5 } as const;
  assert.is(codeOf(sealMessage(sha256, '0000002a', key, alarm)), 'bad-field');
});

test('truncated, extended and random inputs give a typed refusal, never a throw', () => {
  const good = sealMessage(sha256, '0000002a', key, helpComing);
  for (let n = 0; n < good.length; n++) assert.is.not(codeOf(good.subarray(0, n)), 'ok');
  const longer = new Uint8Array(good.length + 1);
  longer.set(good, 0);
  assert.is(codeOf(longer), 'not-cose-mac0');
  const random = seededRandom(0x5eed);
  for (let i = 0; i < 20000; i++) {
    const bytes = good.slice();
    const at = Math.floor(random() * bytes.length);
    bytes[at] = Math.floor(random() * 256);
    // A byte set to the value it had leaves the genuine ack, the one thing that opens.
    const expected = bytes[at] === good[at] ? 'ok' : 'not ok';
    assert.is(codeOf(bytes) === 'ok' ? 'ok' : 'not ok', expected, toHex(bytes));
  }
});

test('the small head writer gives the shortest heads, as the general encoder does', () => {
  for (const value of [0, 23, 24, 255, 256, 65535, 65536, 4294967295]) {
    const out: number[] = [];
    pushHead(out, 0, value);
    assert.is(toHex(new Uint8Array(out)), toHex(cborEncode(value)), String(value));
  }
  assert.throws(() => pushHead([], 0, 1.5));
  assert.throws(() => pushHead([], 0, 4294967296));
});

test('the small map reader reads every message the catalogue encodes', () => {
  const values = readSmallMap(encodeMessage(helpComing));
  assert.equal(values, [1, 6, undefined, undefined, undefined, undefined, 70000, 2, 300]);
  const heartbeat = { type: MessageType.Heartbeat, counter: 9, mains: false } as const;
  assert.is(readSmallMap(encodeMessage(heartbeat))?.[9], false);
  assert.is(readSmallMap(hex('a1006161')), undefined, 'a text value is not read');
});

test('describeError turns a bare code into a sentence and keeps detailed messages', () => {
  assert.match(describeError({ code: 'bad-crc', message: 'bad-crc' }), /^bad-crc: .*CRC/);
  assert.is(
    describeError({ code: 'bad-tag', message: 'tag fails for 0000002a' }),
    'tag fails for 0000002a',
  );
  assert.is(describeError({ code: 'odd', message: 'odd' }), 'odd');
});

test.run();
