import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cborDecode, cborEncode } from './cbor';
import { CborMap, CborTag } from './cbor-types';
import type { CborKey, CborValue } from './cbor-types';
import { asCanonicalCborX, asCborX, cborXDecode, cborXEncode } from './test/cbor-x-check';
import { hex, toHex } from './test/node-crypto';
import { seededRandom } from './test/seeded-random';

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

// The cbor-x cross-checks below draw integers (values and map keys) from -2^32..2^32-1,
// whose heads carry at most a 4-byte argument: beyond that cbor-x writes a JS number as a
// float64 (fb ...) and reads a 1b/3b head as a BigInt, neither of which our data model
// has. Integers up to 2^53-1 are checked against hand-worked hex further down instead.
const EDGE_INTEGERS = [0, 23, 24, 255, 256, 65535, 65536, 4294967295, -1, -24, -25, -256];
const EDGE_INTEGERS_NEGATIVE = [-257, -65536, -65537, -4294967296];
const TEXT_KEYS = ['', 'a', 'b', 'aa', 'é', 'poste'];

function randomInteger(random: () => number): number {
  const pick = random();
  if (pick < 0.3) return EDGE_INTEGERS[Math.floor(random() * EDGE_INTEGERS.length)];
  if (pick < 0.4) {
    return EDGE_INTEGERS_NEGATIVE[Math.floor(random() * EDGE_INTEGERS_NEGATIVE.length)];
  }
  if (pick < 0.7) return Math.floor(random() * 4294967296);
  return -1 - Math.floor(random() * 4294967296);
}

// Keys of every encoded length (1, 2, 3, 5 bytes), both signs and text, so bytewise order
// differs from numeric, insertion and length-first order.
function randomKey(random: () => number): CborKey {
  const pick = random();
  if (pick < 0.2) return TEXT_KEYS[Math.floor(random() * TEXT_KEYS.length)];
  if (pick < 0.4) return randomInteger(random);
  return Math.floor(random() * 60) - 20;
}

function randomValue(random: () => number, depth: number): CborValue {
  const kind = Math.floor(random() * (depth > 2 ? 6 : 9));
  const length = Math.floor(random() * 7);
  if (kind === 0 || kind === 1) return randomInteger(random);
  if (kind === 2) return new Uint8Array(length).map(() => Math.floor(random() * 256));
  if (kind === 3) return ['', 'x', 'poste 12', 'é', '水', '🚨', 'a'.repeat(24)][length];
  if (kind === 4) return [true, false, null][length % 3];
  if (kind === 5) return Math.floor(random() * 30);
  if (kind === 6) {
    const items: CborValue[] = [];
    for (let i = 0; i < length; i++) items.push(randomValue(random, depth + 1));
    return items;
  }
  if (kind === 7) {
    const map = new CborMap();
    for (let i = 0; i < length; i++)
      map.set(randomKey(random), randomValue(random, depth + 1));
    return map;
  }
  return new CborTag(random() < 0.5 ? 17 : 18, randomValue(random, depth + 1));
}

/** The same value with the pairs of every map, at every depth, in a shuffled order. */
function shuffled(value: CborValue, random: () => number): CborValue {
  if (Array.isArray(value)) return value.map((item) => shuffled(item, random));
  if (value instanceof CborTag)
    return new CborTag(value.tag, shuffled(value.value, random));
  if (!(value instanceof CborMap)) return value;
  const order = value.keys.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = order[i];
    order[i] = order[j];
    order[j] = swap;
  }
  const map = new CborMap();
  for (const i of order) map.set(value.keys[i], shuffled(value.values[i], random));
  return map;
}

const CROSS_CHECKS = 2000;

test('cbor-x decodes 2,000 random values we encode to the same value', () => {
  const random = seededRandom(7);
  for (let i = 0; i < CROSS_CHECKS; i++) {
    const value = randomValue(random, 0);
    assert.equal(cborXDecode(cborEncode(value)), asCborX(value));
  }
});

test("whatever order map keys were set in, our bytes are cbor-x's from sorted keys", () => {
  const random = seededRandom(11);
  let reordered = 0;
  for (let i = 0; i < CROSS_CHECKS; i++) {
    const value = randomValue(random, 0);
    const ours = toHex(cborEncode(shuffled(value, random)));
    const insertionOrder = toHex(cborXEncode(asCborX(value)));
    assert.is(ours, toHex(cborXEncode(asCanonicalCborX(value))), insertionOrder);
    if (ours !== insertionOrder) reordered += 1;
  }
  // The check has teeth only if many values' insertion order is not the sorted one.
  assert.ok(reordered > CROSS_CHECKS / 10, `only ${reordered} values needed sorting`);
});

test('our decoder reads what cbor-x encodes canonically, and re-encodes it unchanged', () => {
  const random = seededRandom(13);
  for (let i = 0; i < CROSS_CHECKS; i++) {
    const value = randomValue(random, 0);
    const theirs = cborXEncode(asCanonicalCborX(value));
    const decoded = cborDecode(theirs);
    assert.ok(decoded.ok);
    if (!decoded.ok) return;
    assert.equal(asCborX(decoded.value), asCborX(value));
    assert.is(toHex(cborEncode(decoded.value)), toHex(theirs));
  }
});

// Beyond 2^32, checked by hand: 2^53-1 = 0x1f_ffff_ffff_ffff, and a negative integer n is
// written as major type 1 with argument -1 - n (RFC 8949 §3.1).
const bigIntegers: [number, string][] = [
  [4294967296, '1b0000000100000000'],
  [0x123456789abcd, '1b000123456789abcd'],
  [9007199254740991, '1b001fffffffffffff'],
  [-4294967297, '3b0000000100000000'],
  [-9007199254740992, '3b001fffffffffffff'],
];

for (const example of bigIntegers) {
  test(`the integer ${example[0]} is written ${example[1]} and read back`, () => {
    assert.is(toHex(cborEncode(example[0])), example[1]);
    const decoded = cborDecode(hex(example[1]));
    assert.is(decoded.ok ? decoded.value : decoded.error.code, example[0]);
  });
}

test('cbor-x reads our 8-byte integer heads as BigInts of the same value', () => {
  for (const example of bigIntegers) {
    assert.is(cborXDecode(cborEncode(example[0])), BigInt(example[0]));
  }
});

// -2^53-1 is not a double: -2^53-2 is the nearest integer past the bound.
test('integers beyond +-2^53 are refused: thrown when encoding, too-large when decoding', () => {
  assert.throws(() => cborEncode(9007199254740992), /2\^53/);
  assert.throws(() => cborEncode(-9007199254740994), /2\^53/);
  const negative = cborDecode(hex('3b0020000000000000'));
  assert.is(negative.ok ? 'ok' : negative.error.code, 'too-large');
});

test.run();
