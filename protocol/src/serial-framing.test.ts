import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cobsDecode, cobsEncode } from './cobs';
import { crc16 } from './crc16';
import {
  FrameDecoder,
  LinkEncoder,
  LinkKind,
  MAX_LINK_PAYLOAD,
  encodeLinkFrame,
} from './serial-framing';
import type { LinkFrame } from './serial-framing';
import type { Result } from './result';
import { ascii, hex, toHex } from './test/node-crypto';

test('CRC-16/CCITT-FALSE of "123456789" is the catalogued check value 0x29B1', () => {
  const digits = ascii('123456789');
  assert.is(crc16(digits, 0, digits.length), 0x29b1);
});

const cobsExamples: [string, string][] = [
  ['00', '0101'],
  ['0000', '010101'],
  ['11220033', '0311220233'],
  ['11223344', '0511223344'],
  ['11000000', '0211010101'],
];

for (const example of cobsExamples) {
  test(`COBS encodes ${example[0]} as ${example[1]} and back`, () => {
    assert.is(toHex(cobsEncode(hex(example[0]))), example[1]);
    const decoded = cobsDecode(hex(example[1]));
    assert.ok(decoded.ok && toHex(decoded.value) === example[0]);
  });
}

test('COBS splits a run of 254 non-zero bytes into one full block', () => {
  const run = new Uint8Array(254).map((_, i) => i + 1);
  const encoded = cobsEncode(run);
  assert.is(encoded.length, 255);
  assert.is(encoded[0], 0xff);
  const withZero = new Uint8Array(255).map((_, i) => (i < 254 ? i + 1 : 0));
  const decoded = cobsDecode(cobsEncode(withZero));
  assert.ok(decoded.ok && toHex(decoded.value) === toHex(withZero));
});

test('COBS round-trips 5,000 random buffers rich in zeros and never emits 0x00', () => {
  let seed = 3;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  for (let n = 0; n < 5000; n++) {
    const buffer = new Uint8Array(next() % 600).map(() =>
      next() % 4 === 0 ? 0 : next() & 0xff,
    );
    const encoded = cobsEncode(buffer);
    assert.ok(!encoded.includes(0));
    const decoded = cobsDecode(encoded);
    assert.ok(decoded.ok && toHex(decoded.value) === toHex(buffer));
  }
});

function frames(results: Result<LinkFrame>[]): string[] {
  return results.map((r) =>
    r.ok ? `${r.value.kind}/${r.value.seq}/${toHex(r.value.payload)}` : r.error.code,
  );
}

const payload = hex('d18443a10104a10444000000' + '2a00');

test('a data frame pushed one byte at a time comes out whole', () => {
  const decoder = new FrameDecoder();
  const wire = encodeLinkFrame(LinkKind.Data, 7, payload);
  const out: string[] = [];
  for (const byte of wire) out.push(...frames(decoder.push(new Uint8Array([byte]))));
  assert.equal(out, [`1/7/${toHex(payload)}`]);
});

test('two frames in one chunk both come out, in order', () => {
  const decoder = new FrameDecoder();
  const encoder = new LinkEncoder();
  const data = encoder.data(1, payload);
  assert.ok(data.ok);
  if (!data.ok) return;
  const chunk = new Uint8Array([...data.value, ...encoder.ack(0)]);
  assert.equal(frames(decoder.push(chunk)), [`1/1/${toHex(payload)}`, '2/0/']);
});

test('garbage before a frame is reported as a typed error and the frame still decodes', () => {
  const decoder = new FrameDecoder();
  const chunk = new Uint8Array([
    0x13,
    0x37,
    0x42,
    ...encodeLinkFrame(LinkKind.Ack, 3, hex('')),
  ]);
  const out = frames(decoder.push(chunk));
  assert.is(out.length, 2);
  assert.ok(['bad-cobs', 'bad-crc', 'truncated'].includes(out[0]));
  assert.is(out[1], '2/3/');
});

test('a frame cut short by a sender reboot is dropped, the next frame decodes', () => {
  const decoder = new FrameDecoder();
  const wire = encodeLinkFrame(LinkKind.Data, 9, payload);
  const cut = wire.subarray(0, 8);
  const out = frames(
    decoder.push(new Uint8Array([...cut, ...encodeLinkFrame(LinkKind.Data, 0, payload)])),
  );
  assert.is(out.length, 2);
  assert.is.not(out[0].charAt(1), '/');
  assert.is(out[1], `1/0/${toHex(payload)}`);
});

test('a corrupted byte is caught by the CRC', () => {
  const decoder = new FrameDecoder();
  const wire = encodeLinkFrame(LinkKind.Data, 9, payload);
  wire[6] ^= 0x10;
  assert.equal(frames(decoder.push(wire)), ['bad-crc']);
});

test('an oversized frame is reported once as too-large and the decoder recovers', () => {
  const decoder = new FrameDecoder();
  const flood = new Uint8Array(5000).fill(0x55);
  const out = frames(decoder.push(flood));
  assert.equal(out, ['too-large']);
  const next = frames(decoder.push(encodeLinkFrame(LinkKind.Ack, 4, hex(''))));
  assert.equal(next, ['2/4/']);
});

test('a payload above the maximum is refused by the encoder', () => {
  const encoder = new LinkEncoder();
  const result = encoder.data(0, new Uint8Array(MAX_LINK_PAYLOAD + 1));
  assert.is(result.ok ? 'ok' : result.error.code, 'too-large');
});

test('a frame of the largest payload passes a decoder with the same maximum', () => {
  const decoder = new FrameDecoder();
  const big = new Uint8Array(MAX_LINK_PAYLOAD).fill(0);
  const out = decoder.push(encodeLinkFrame(LinkKind.Data, 1, big));
  assert.ok(out.length === 1 && out[0].ok);
});

test('an ack with a payload, an unknown kind and an unknown version are typed errors', () => {
  const decoder = new FrameDecoder();
  assert.equal(frames(decoder.push(encodeLinkFrame(LinkKind.Ack, 1, hex('01')))), [
    'bad-length',
  ]);
  assert.equal(frames(decoder.push(encodeLinkFrame(5, 1, hex('')))), ['unknown-kind']);
  const v2 = encodeLinkFrame(LinkKind.Ack, 1, hex(''));
  const raw = cobsDecode(v2.subarray(1, v2.length - 1));
  assert.ok(raw.ok);
  if (!raw.ok) return;
  const bumped = raw.value.slice();
  bumped[0] = 0x22;
  const crc = crc16(bumped, 0, 2);
  bumped[2] = crc >> 8;
  bumped[3] = crc & 0xff;
  const wire = new Uint8Array([0, ...cobsEncode(bumped), 0]);
  assert.equal(frames(decoder.push(wire)), ['unknown-version']);
});

test.run();
