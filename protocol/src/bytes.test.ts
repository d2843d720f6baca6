import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  bytesFromHex,
  constantTimeEqual,
  hexFromBytes,
  readUint32,
  uint32Bytes,
  utf8Decode,
  utf8Encode,
} from './bytes';
import { hex, toHex } from './test/node-crypto';

test('hex round-trips and accepts upper case', () => {
  const parsed = bytesFromHex('00A1ff7E');
  assert.ok(parsed.ok);
  if (parsed.ok) assert.is(hexFromBytes(parsed.value), '00a1ff7e');
});

test('hex with an odd length or a stray character is a bad-hex error', () => {
  const odd = bytesFromHex('abc');
  const stray = bytesFromHex('0g');
  assert.is(odd.ok ? '' : odd.error.code, 'bad-hex');
  assert.is(stray.ok ? '' : stray.error.code, 'bad-hex');
});

test('uint32 round-trips at the top of its range without sign trouble', () => {
  assert.is(toHex(uint32Bytes(0xfffffffe)), 'fffffffe');
  assert.is(readUint32(hex('fffffffe'), 0), 0xfffffffe);
  assert.is(readUint32(hex('80000000'), 0), 2147483648);
});

test('constant-time comparison tells equal from different and from shorter', () => {
  assert.ok(constantTimeEqual(hex('0102'), hex('0102')));
  assert.not.ok(constantTimeEqual(hex('0102'), hex('0103')));
  assert.not.ok(constantTimeEqual(hex('0102'), hex('01')));
});

test('UTF-8 encoding matches Node for ASCII, accents and an astral character', () => {
  const text = 'poste é 🚨';
  assert.is(toHex(utf8Encode(text)), Buffer.from(text, 'utf8').toString('hex'));
  const decoded = utf8Decode(utf8Encode(text));
  assert.ok(decoded.ok && decoded.value === text);
});

test('UTF-8 decoding refuses overlong forms and lone surrogates', () => {
  const overlong = utf8Decode(hex('c0af'));
  const surrogate = utf8Decode(hex('eda080'));
  assert.is(overlong.ok ? '' : overlong.error.code, 'bad-utf8');
  assert.is(surrogate.ok ? '' : surrogate.error.code, 'bad-utf8');
});

test.run();
