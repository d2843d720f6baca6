import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hmacSha256 } from './hmac';
import { ascii, hex, sha256, toHex } from './test/node-crypto';

function filled(length: number, byte: number): Uint8Array {
  return new Uint8Array(length).fill(byte);
}

// RFC 4231 §4.2-4.8, HMAC-SHA-256 results.
const rfc4231 = [
  {
    name: 'case 1 (short key)',
    key: filled(20, 0x0b),
    data: ascii('Hi There'),
    mac: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
  },
  {
    name: 'case 2 (key shorter than the output)',
    key: ascii('Jefe'),
    data: ascii('what do ya want for nothing?'),
    mac: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
  },
  {
    name: 'case 3 (combined length above block size)',
    key: filled(20, 0xaa),
    data: filled(50, 0xdd),
    mac: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
  },
  {
    name: 'case 4 (25-byte key)',
    key: hex('0102030405060708090a0b0c0d0e0f10111213141516171819'),
    data: filled(50, 0xcd),
    mac: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
  },
  {
    name: 'case 6 (key larger than the block size)',
    key: filled(131, 0xaa),
    data: ascii('Test Using Larger Than Block-Size Key - Hash Key First'),
    mac: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
  },
  {
    name: 'case 7 (key and data larger than the block size)',
    key: filled(131, 0xaa),
    data: ascii(
      'This is a test using a larger than block-size key and a larger than block-size' +
        ' data. The key needs to be hashed before being used by the HMAC algorithm.',
    ),
    mac: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
  },
];

for (const vector of rfc4231) {
  test(`HMAC-SHA256 matches RFC 4231 ${vector.name}`, () => {
    assert.is(toHex(hmacSha256(sha256, vector.key, vector.data)), vector.mac);
  });
}

test('HMAC-SHA256 truncated to 128 bits matches RFC 4231 case 5', () => {
  const mac = hmacSha256(sha256, filled(20, 0x0c), ascii('Test With Truncation'));
  assert.is(toHex(mac.subarray(0, 16)), 'a3b6167473100ee06e0c796c2955552b');
});

test.run();
