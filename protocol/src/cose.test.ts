import { test } from 'uvu';
import * as assert from 'uvu/assert';
import cose from 'cose-js';
import { mac0Assemble, mac0Create, mac0Decode, mac0Verify, macStructure } from './cose';
import { hmacSha256 } from './hmac';
import { loadExample } from './test/cose-wg';
import type { CoseExample } from './test/cose-wg';
import { ascii, hex, sha256, toHex } from './test/node-crypto';

function keyOf(example: CoseExample): Uint8Array {
  const key = example.input.mac0.recipients[0].key;
  if (key.k_hex !== undefined) return hex(key.k_hex);
  return new Uint8Array(Buffer.from(key.k ?? '', 'base64url'));
}

function payloadOf(example: CoseExample): Uint8Array {
  const input = example.input;
  return input.plaintext_hex !== undefined
    ? hex(input.plaintext_hex)
    : ascii(input.plaintext ?? '');
}

// HMAC 256/64 examples: deterministic, so our output must match byte for byte.
for (const name of ['HMac-enc-05', 'CWT-A_4', 'CWT-A_7']) {
  test(`mac0Create reproduces cose-wg example ${name} byte for byte`, () => {
    const example = loadExample(name);
    const created = mac0Create(
      sha256,
      keyOf(example),
      new Uint8Array(0),
      payloadOf(example),
    );
    assert.is(toHex(created), example.output.cbor.toLowerCase());
  });

  test(`the MAC_structure of ${name} matches the example's ToMac bytes`, () => {
    const example = loadExample(name);
    const structure = macStructure(hex('a10104'), payloadOf(example), undefined);
    assert.is(toHex(structure), example.intermediates.ToMac_hex.toLowerCase());
  });
}

// HMac-enc-01 (HMAC 256/256, alg 5) is deterministic too. We create only alg 4, so the
// example is rebuilt from our parts: its MAC_structure, the full HMAC over it, assembled.
test('the parts of cose-wg example HMac-enc-01 rebuild it byte for byte', () => {
  const example = loadExample('HMac-enc-01');
  const structure = macStructure(hex('a10105'), payloadOf(example), undefined);
  assert.is(toHex(structure), example.intermediates.ToMac_hex.toLowerCase());
  const tag = hmacSha256(sha256, keyOf(example), structure);
  const rebuilt = mac0Assemble(hex('a10105'), new Uint8Array(0), payloadOf(example), tag);
  assert.is(toHex(rebuilt), example.output.cbor.toLowerCase());
});

test('HMac-enc-04 decodes like HMac-enc-01 and is refused for its tag alone', () => {
  const good = mac0Decode(hex(loadExample('HMac-enc-01').output.cbor));
  const bad = mac0Decode(hex(loadExample('HMac-enc-04').output.cbor));
  assert.ok(good.ok && bad.ok);
  if (!good.ok || !bad.ok) return;
  assert.is(toHex(bad.value.payload), toHex(good.value.payload));
  assert.is(toHex(bad.value.protectedBytes), toHex(good.value.protectedBytes));
  assert.is.not(toHex(bad.value.tag), toHex(good.value.tag));
});

// HMAC 384/384 (alg 6) and 512/512 (alg 7): valid COSE, but not an algorithm we accept.
for (const name of ['HMac-enc-02', 'HMac-enc-03']) {
  test(`cose-wg example ${name} is refused at decode as an unsupported alg`, () => {
    const decoded = mac0Decode(hex(loadExample(name).output.cbor));
    assert.is(decoded.ok ? 'ok' : decoded.error.code, 'unsupported-alg');
  });
}

// mac0-tests and hmac-examples: accept or reject as each example says.
const acceptReject = [
  'HMac-enc-01',
  'HMac-enc-04',
  'HMac-01',
  'mac-pass-01',
  'mac-pass-02',
  'mac-pass-03',
  'mac-fail-01',
  'mac-fail-02',
  'mac-fail-03',
  'mac-fail-04',
  'mac-fail-06',
  'mac-fail-07',
];

for (const name of acceptReject) {
  const example = loadExample(name);
  const verdict = example.fail === true ? 'rejects' : 'accepts';
  test(`decode and verify ${verdict} cose-wg example ${name}`, () => {
    const external = example.input.mac0.external;
    const aad = external === undefined ? undefined : hex(external);
    const decoded = mac0Decode(hex(example.output.cbor));
    const accepted = decoded.ok && mac0Verify(sha256, keyOf(example), decoded.value, aad);
    assert.is(accepted, example.fail !== true);
  });
}

test('mac-fail-01 is refused at decode because its CBOR tag is not 17', () => {
  const decoded = mac0Decode(hex(loadExample('mac-fail-01').output.cbor));
  assert.is(decoded.ok ? 'ok' : decoded.error.code, 'wrong-cbor-tag');
});

test('mac-fail-03 is refused at decode because alg -999 is not supported', () => {
  const decoded = mac0Decode(hex(loadExample('mac-fail-03').output.cbor));
  assert.is(decoded.ok ? 'ok' : decoded.error.code, 'unsupported-alg');
});

const key = hex('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff');
const kid = hex('0000002a');
const payload = hex('a30001010102190539');

test('a created Mac0 carries the kid in the unprotected header and verifies', () => {
  const decoded = mac0Decode(mac0Create(sha256, key, kid, payload));
  assert.ok(decoded.ok);
  if (!decoded.ok) return;
  assert.is(toHex(decoded.value.kid), '0000002a');
  assert.is(toHex(decoded.value.payload), toHex(payload));
  assert.is(decoded.value.tag.length, 8);
  assert.ok(mac0Verify(sha256, key, decoded.value));
});

test('verification fails with another key, another external_aad or a flipped tag bit', () => {
  const aad = hex('00000b2c');
  const decoded = mac0Decode(mac0Create(sha256, key, kid, payload, aad));
  assert.ok(decoded.ok);
  if (!decoded.ok) return;
  assert.ok(mac0Verify(sha256, key, decoded.value, aad));
  assert.not.ok(mac0Verify(sha256, key, decoded.value));
  assert.not.ok(
    mac0Verify(
      sha256,
      key.map((b) => b ^ 1),
      decoded.value,
      aad,
    ),
  );
  decoded.value.tag[7] ^= 0x01;
  assert.not.ok(mac0Verify(sha256, key, decoded.value, aad));
});

test('a flipped payload bit breaks verification', () => {
  const bytes = mac0Create(sha256, key, kid, payload);
  bytes[bytes.length - 12] ^= 0x40;
  const decoded = mac0Decode(bytes);
  assert.ok(decoded.ok && !mac0Verify(sha256, key, decoded.value));
});

test('cose-js (independent implementation) verifies our Mac0, with and without aad', async () => {
  const aad = hex('00000b2c');
  const plain = await cose.mac.read(
    Buffer.from(mac0Create(sha256, key, kid, payload)),
    Buffer.from(key),
  );
  assert.is(toHex(plain), toHex(payload));
  const withAad = await cose.mac.read(
    Buffer.from(mac0Create(sha256, key, kid, payload, aad)),
    Buffer.from(key),
    Buffer.from(aad),
  );
  assert.is(toHex(withAad), toHex(payload));
});

test('cose-js rejects our Mac0 when the payload was altered', async () => {
  const bytes = mac0Create(sha256, key, kid, payload);
  bytes[bytes.length - 12] ^= 0x40;
  let rejected = false;
  await cose.mac
    .read(Buffer.from(bytes), Buffer.from(key))
    .catch(() => (rejected = true));
  assert.ok(rejected);
});

test('we verify a HMAC 256/64 Mac0 that cose-js created', async () => {
  const aad = hex('01');
  const created = await cose.mac.create(
    { p: { alg: 'SHA-256_64' }, u: { kid: Buffer.from(kid) } },
    Buffer.from(payload),
    { key: Buffer.from(key) },
    Buffer.from(aad),
  );
  const decoded = mac0Decode(new Uint8Array(created));
  assert.ok(decoded.ok);
  if (!decoded.ok) return;
  assert.is(toHex(decoded.value.kid), '0000002a');
  assert.ok(mac0Verify(sha256, key, decoded.value, aad));
});

test('decode refuses a Mac0 whose tag length does not fit its alg', () => {
  const bytes = hex('d18443a10104a04100' + '4401020304');
  const decoded = mac0Decode(bytes);
  assert.is(decoded.ok ? 'ok' : decoded.error.code, 'bad-tag');
});

test('decode refuses an array of the wrong size', () => {
  const decoded = mac0Decode(hex('d18343a10104a040'));
  assert.is(decoded.ok ? 'ok' : decoded.error.code, 'not-cose-mac0');
});

test.run();
