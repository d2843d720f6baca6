import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cborDecode, cborEncode } from './cbor';
import { CborMap, CborTag } from './cbor-types';
import type { CborValue } from './cbor-types';
import { asCborX, cborXDecode, cborXEncode } from './test/cbor-x-check';
import { hex, toHex } from './test/node-crypto';

// RFC 8949 Appendix A, the examples within our data model.
const appendixA: [CborValue, string][] = [
  [0, '00'],
  [23, '17'],
  [24, '1818'],
  [100, '1864'],
  [1000, '1903e8'],
  [1000000, '1a000f4240'],
  [1000000000000, '1b000000e8d4a51000'],
  [-1, '20'],
  [-100, '3863'],
  [-1000, '3903e7'],
  [false, 'f4'],
  [true, 'f5'],
  [null, 'f6'],
  [new Uint8Array(0), '40'],
  [hex('01020304'), '4401020304'],
  ['', '60'],
  ['IETF', '6449455446'],
  ['\u00fc', '62c3bc'],
  ['\u6c34', '63e6b0b4'],
  [[], '80'],
  [[1, [2, 3], [4, 5]], '8301820203820405'],
  [new CborMap(), 'a0'],
  [new CborMap().set(1, 2).set(3, 4), 'a201020304'],
  [new CborTag(23, hex('01020304')), 'd74401020304'],
];

for (const example of appendixA) {
  test(`encodes and decodes RFC 8949 Appendix A example ${example[1]}`, () => {
    assert.is(toHex(cborEncode(example[0])), example[1]);
    const decoded = cborDecode(hex(example[1]));
    assert.ok(decoded.ok);
    if (decoded.ok) assert.is(toHex(cborEncode(decoded.value)), example[1]);
  });
}

test('map keys are written in the bytewise order of their encodings (RFC 8949 §4.2.1)', () => {
  const map = new CborMap().set('a', 4).set(100, 3).set(-1, 2).set(10, 1);
  assert.is(toHex(cborEncode(map)), 'a40a011864032002616104');
});

test('decoded maps keep their pairs and answer get()', () => {
  const decoded = cborDecode(hex('a2016161200a'));
  assert.ok(decoded.ok && decoded.value instanceof CborMap);
  if (decoded.ok && decoded.value instanceof CborMap) {
    assert.is(decoded.value.get(1), 'a');
    assert.is(decoded.value.get(-1), 10);
    assert.is(decoded.value.get(2), undefined);
  }
});

const malformed: [string, string, string][] = [
  ['an empty input', '', 'truncated'],
  ['a head cut short', '1901', 'truncated'],
  ['a byte string longer than the input', '5a0001000000', 'truncated'],
  ['an array count beyond the input', '9a7fffffff00', 'truncated'],
  ['an indefinite-length array', '9f01ff', 'unsupported'],
  ['a half-precision float', 'f93c00', 'unsupported'],
  ['a head longer than needed', '1817', 'non-canonical'],
  ['an integer beyond 2^53', '1b0020000000000000', 'too-large'],
  ['reserved additional information', '1c', 'bad-cbor'],
  ['bytes after the item', '0000', 'trailing-bytes'],
  ['a repeated map key', 'a201000100', 'duplicate-key'],
  ['an array as a map key', 'a18000', 'bad-key'],
  ['invalid UTF-8 in a text string', '62c0af', 'bad-utf8'],
  ['nesting 20 arrays deep', '81'.repeat(20) + '00', 'too-deep'],
];

for (const example of malformed) {
  test(`decoding ${example[0]} is a typed '${example[2]}' error`, () => {
    const decoded = cborDecode(hex(example[1]));
    assert.is(decoded.ok ? 'ok' : decoded.error.code, example[2]);
  });
}

function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function randomValue(random: () => number, depth: number): CborValue {
  const kind = Math.floor(random() * (depth > 2 ? 6 : 9));
  const length = Math.floor(random() * 6);
  if (kind === 0) return Math.floor(random() * 4294967296);
  if (kind === 1) return -1 - Math.floor(random() * 4294967296);
  if (kind === 2) return new Uint8Array(length).map(() => Math.floor(random() * 256));
  if (kind === 3) return ['', 'x', 'poste 12', 'é', '水', '🚨'][length];
  if (kind === 4) return [true, false, null][length % 3];
  if (kind === 5) return Math.floor(random() * 30);
  if (kind === 6) {
    const items: CborValue[] = [];
    for (let i = 0; i < length; i++) items.push(randomValue(random, depth + 1));
    return items;
  }
  if (kind === 7) {
    const map = new CborMap();
    for (let i = 0; i < length; i++) {
      map.set(Math.floor(random() * 60) - 20, randomValue(random, depth + 1));
    }
    return map;
  }
  return new CborTag(random() < 0.5 ? 17 : 18, randomValue(random, depth + 1));
}

test('cbor-x decodes 2,000 random values we encode to the same value', () => {
  const random = seededRandom(7);
  for (let i = 0; i < 2000; i++) {
    const value = randomValue(random, 0);
    assert.equal(cborXDecode(cborEncode(value)), asCborX(value));
  }
});

test("cbor-x's re-encoding of what we encode gives our bytes back", () => {
  const random = seededRandom(11);
  for (let i = 0; i < 2000; i++) {
    const bytes = cborEncode(randomValue(random, 0));
    assert.is(toHex(cborXEncode(cborXDecode(bytes))), toHex(bytes));
  }
});

test('our decoder reads what cbor-x encodes from the same value', () => {
  const random = seededRandom(13);
  for (let i = 0; i < 2000; i++) {
    const value = randomValue(random, 0);
    const decoded = cborDecode(cborXEncode(asCborX(value)));
    assert.ok(decoded.ok);
    if (decoded.ok) assert.is(toHex(cborEncode(decoded.value)), toHex(cborEncode(value)));
  }
});

test.run();
