// Shared test vectors for the JavaScript and Lua builds of protocol/: each names an export
// of @urgence/protocol and its arguments in a small tagged form both sides can build
// (hex bytes, the SHA-256 service, CBOR maps and tags, plain objects). Inputs are ASCII:
// Lua strings are bytes, so non-ASCII text is a known difference (see firmware/README.md).

export type VectorArg =
  | number
  | string
  | boolean
  | { hex: string }
  | { sha256: true }
  | { map: [VectorArg, VectorArg][] }
  | { tag: number; value: VectorArg }
  | { object: Record<string, VectorArg> }
  | { array: VectorArg[] }
  /** A key lookup (deviceId) => key that answers this key for any id. */
  | { keyFor: string }
  /** The result of another export, or one field of it (`value` of a Result). */
  | { call: string; args: VectorArg[]; pick?: string };

export interface Vector {
  name: string;
  fn: string;
  args: VectorArg[];
  /** Repository path of the module exporting fn, without extension; default protocol/. */
  module?: string;
}

export const protocolModule = 'protocol/src/index';

const key = { hex: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f' };
const sha256: VectorArg = { sha256: true };
const ascii = (text: string): VectorArg => ({ hex: Buffer.from(text).toString('hex') });
const alarm7 = { object: { type: 1, counter: 7 } };
const sealed: VectorArg = {
  call: 'sealMessage',
  args: [sha256, '0000002a', key, alarm7],
};
const frameWindow = 1_900_000;
const alarmFrame: VectorArg = {
  call: 'encodeWearableFrame',
  args: [
    sha256,
    key,
    {
      object: {
        window: frameWindow,
        message: { object: { type: 1, counter: 300, battery: 64 } },
      },
    },
  ],
};
const ackFrame: VectorArg = {
  call: 'encodeWearableAck',
  args: [sha256, key, frameWindow, { object: { type: 6, ref: 300, stage: 2, eta: 240 } }],
};
const postAck = (signingKey: VectorArg): VectorArg => ({
  call: 'sealMessage',
  args: [sha256, '0000002a', signingKey, { object: { type: 6, ref: 7, stage: 2 } }],
});
export const vectors: Vector[] = [
  { name: 'crc16 check value', fn: 'crc16', args: [ascii('123456789'), 0, 9] },
  { name: 'crc16 of a middle slice', fn: 'crc16', args: [{ hex: 'ff00ff80017f' }, 1, 5] },
  {
    name: 'cbor small and large unsigned',
    fn: 'cborEncode',
    args: [{ array: [0, 23, 24, 255, 256, 65535, 65536, 4294967295] }],
  },
  {
    name: 'cbor negative integers',
    fn: 'cborEncode',
    args: [{ array: [-1, -24, -25, -256, -257, -65537] }],
  },
  {
    name: 'cbor text and bytes',
    fn: 'cborEncode',
    args: [{ array: ['', 'urgence', { hex: '' }, { hex: 'deadbeef' }] }],
  },
  { name: 'cbor booleans', fn: 'cborEncode', args: [{ array: [true, false] }] },
  {
    name: 'cbor integer-keyed map',
    fn: 'cborEncode',
    args: [
      {
        map: [
          [1, 2],
          [-1, 'x'],
          [4, { hex: '0102' }],
        ],
      },
    ],
  },
  {
    name: 'cbor tag 17 around an array',
    fn: 'cborEncode',
    args: [{ tag: 17, value: { array: [{ hex: 'a1' }, 3] } }],
  },
  { name: 'cobs with zeros', fn: 'cobsEncode', args: [{ hex: '0011002200000033' }] },
  {
    name: 'cobs of 300 non-zero bytes',
    fn: 'cobsEncode',
    args: [{ hex: '01'.repeat(300) }],
  },
  // RFC 4231 test case 2 ("Jefe").
  {
    name: 'hmac-sha256 RFC 4231 case 2',
    fn: 'hmacSha256',
    args: [sha256, ascii('Jefe'), ascii('what do ya want for nothing?')],
  },
  {
    name: 'hmac-sha256 with a 131-byte key',
    fn: 'hmacSha256',
    args: [
      sha256,
      { hex: 'aa'.repeat(131) },
      ascii('Test Using Larger Than Block-Size Key - Hash Key First'),
    ],
  },
  {
    name: 'cose mac0 without aad',
    fn: 'mac0Create',
    args: [sha256, key, { hex: '0000002a' }, { hex: 'a2010102181e' }],
  },
  {
    name: 'cose mac0 with external aad',
    fn: 'mac0Create',
    args: [sha256, key, { hex: '0000002a' }, { hex: 'a10101' }, { hex: '000a1b2c' }],
  },
  {
    name: 'alarm message',
    fn: 'encodeMessage',
    args: [{ object: { type: 1, counter: 4294967295, battery: 87 } }],
  },
  {
    name: 'fault message',
    fn: 'encodeMessage',
    args: [{ object: { type: 4, counter: 12, fault: 2, active: true } }],
  },
  {
    name: 'sealed alarm',
    fn: 'sealMessage',
    args: [sha256, '0000002a', key, { object: { type: 1, counter: 7 } }],
  },
  { name: 'rotating id', fn: 'rotatingId', args: [sha256, key, 1_900_000] },
  { name: 'rotating address', fn: 'rotatingAddress', args: [sha256, key, 1_900_000] },
  {
    name: 'wearable alarm frame',
    fn: 'encodeWearableFrame',
    args: [
      sha256,
      key,
      {
        object: {
          window: 1_900_000,
          message: { object: { type: 1, counter: 300, battery: 64 } },
        },
      },
    ],
  },
  {
    name: 'wearable ack frame',
    fn: 'encodeWearableAck',
    args: [sha256, key, 1_900_000, { object: { type: 6, ref: 300, stage: 2, eta: 240 } }],
  },
  {
    name: 'serial link frame',
    fn: 'encodeLinkFrame',
    args: [1, 255, { hex: '00d28443a10104a0' }],
  },
  { name: 'uint32 bytes with bit 31 set', fn: 'uint32Bytes', args: [0x80000001] },
  { name: 'window of a unix time', fn: 'windowOf', args: [1_700_000_123] },
  {
    name: 'cbor decode of a tagged map',
    fn: 'cborDecode',
    args: [{ hex: 'd1a201020363616263' }],
  },
  {
    name: 'cbor decode of truncated bytes',
    fn: 'cborDecode',
    args: [{ hex: '5a000000' }],
  },
  {
    name: 'message decode round trip',
    fn: 'decodeMessage',
    args: [{ hex: 'a4000101010218630318fa' }],
  },
  { name: 'cobs decode of a bad block', fn: 'cobsDecode', args: [{ hex: '05112200' }] },
  { name: 'counter resumed at boot', fn: 'counterOnBoot', args: [130, 64] },
  { name: 'counter persistence due', fn: 'mustPersist', args: [200, 128, 64] },
  { name: 'counter exhausted at 2^32-1', fn: 'counterExhausted', args: [4294967295] },
  { name: 'window external aad', fn: 'windowAad', args: [1_900_000] },
  { name: 'kid of a device id', fn: 'kidFromDeviceId', args: ['0000002a'] },
  { name: 'kid of a bad device id', fn: 'kidFromDeviceId', args: ['xyz'] },
  { name: 'hex of bytes', fn: 'hexFromBytes', args: [{ hex: '00ff10ab' }] },
  { name: 'utf8 of ascii text', fn: 'utf8Encode', args: ['post 112'] },
  {
    name: 'manufacturer data of a frame',
    fn: 'manufacturerData',
    args: [{ hex: '11' + '00'.repeat(23) }],
  },
  {
    name: 'sealed alarm opened',
    fn: 'openMessage',
    args: [sha256, sealed, { keyFor: key.hex }],
  },
  {
    name: 'sealed alarm opened with the wrong key',
    fn: 'openMessage',
    args: [sha256, sealed, { keyFor: '11'.repeat(32) }],
  },
  { name: 'sealed alarm decoded', fn: 'mac0Decode', args: [sealed] },
  // The wearable frame and ack, read and decoded under the window's mask.
  { name: 'window mask', fn: 'windowMask', args: [sha256, key, frameWindow] },
  {
    name: 'wearable frame read (clear part)',
    fn: 'readWearableFrame',
    args: [alarmFrame],
  },
  {
    name: 'wearable frame of 23 bytes read',
    fn: 'readWearableFrame',
    args: [{ hex: '11' + '00'.repeat(22) }],
  },
  {
    name: 'wearable frame decoded',
    fn: 'decodeWearableFrame',
    args: [sha256, key, frameWindow, alarmFrame],
  },
  {
    name: 'wearable frame decoded under the next window',
    fn: 'decodeWearableFrame',
    args: [sha256, key, frameWindow + 1, alarmFrame],
  },
  {
    name: 'wearable fault frame sealed (device path)',
    fn: 'sealWearableFrame',
    args: [
      sha256,
      key,
      frameWindow,
      { object: { type: 4, counter: 9, fault: 4, active: true, battery: 12 } },
    ],
  },
  { name: 'wearable ack read (clear part)', fn: 'readWearableAck', args: [ackFrame] },
  { name: 'uplink frame read as an ack', fn: 'readWearableAck', args: [alarmFrame] },
  {
    name: 'wearable ack decoded',
    fn: 'decodeWearableAck',
    args: [sha256, key, frameWindow, ackFrame],
  },
  {
    name: 'wearable ack checked in one pass',
    fn: 'isWearableAckFor',
    args: [sha256, key, frameWindow, ackFrame, 300],
  },
  {
    name: 'wearable ack for another counter checked in one pass',
    fn: 'isWearableAckFor',
    args: [sha256, key, frameWindow, ackFrame, 301],
  },
  {
    name: 'post ack opened',
    fn: 'openPostAck',
    args: [sha256, key, { hex: '0000002a' }, postAck(key)],
  },
  {
    name: 'post ack signed with another key opened',
    fn: 'openPostAck',
    args: [sha256, key, { hex: '0000002a' }, postAck({ hex: '11'.repeat(32) })],
  },
  {
    name: 'small map written',
    fn: 'encodeSmallMap',
    args: [{ array: [0, 1, 2, 5] }, { array: [1, 4, 70000, true] }],
  },
  {
    name: 'small map read',
    fn: 'readSmallMap',
    args: [{ hex: 'a4000101010218630318fa' }],
  },
  {
    name: 'small map of truncated bytes read',
    fn: 'readSmallMap',
    args: [{ hex: 'a40001' }],
  },
  ...logicVectors(),
];

/** The platform-free logic's pure functions (firmware/src/logic), same rules. */
function logicVectors(): Vector[] {
  const postWire = 'firmware/src/logic/post-wire';
  const wearableWire = 'firmware/src/logic/wearable-wire';
  const config = 'firmware/src/logic/config';
  const stored = (extra: Record<string, VectorArg>): VectorArg => ({
    object: { id: '0000002a', kind: 'post', key: 'ab'.repeat(32), ...extra },
  });
  const defaults: VectorArg = { object: { heartbeatMs: 60_000, retryMs: 5000 } };
  const names: VectorArg = { array: ['heartbeatMs', 'retryMs'] };
  return [
    ...[12.37, 10.5, 13.9, 12.005].map((volts) => ({
      name: `lead-acid percent at ${volts} V`,
      module: postWire,
      fn: 'leadAcidPercent',
      args: [volts],
    })),
    ...[2.955, 1.9, 3.2].map((volts) => ({
      name: `coin-cell percent at ${volts} V`,
      module: wearableWire,
      fn: 'coinCellPercent',
      args: [volts],
    })),
    {
      name: 'config with one override',
      module: config,
      fn: 'readConfig',
      args: [stored({ heartbeatMs: 30_000 }), 'post', defaults, names],
    },
    {
      name: 'config of the wrong kind',
      module: config,
      fn: 'readConfig',
      args: [stored({}), 'wearable', defaults, names],
    },
    {
      name: 'config with an unknown setting',
      module: config,
      fn: 'readConfig',
      args: [stored({ heartbeatMS: 1 }), 'post', defaults, names],
    },
    {
      name: 'config with a bad id',
      module: config,
      fn: 'readConfig',
      args: [
        { object: { id: 'ZZ', kind: 'post', key: 'ab'.repeat(32) } },
        'post',
        defaults,
        names,
      ],
    },
  ];
}
