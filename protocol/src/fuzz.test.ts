// Every decoder meets 100,000+ random and mutated inputs: each call must return a Result
// whose error carries a known code and a message; none may throw. Seeded, so a failure
// reproduces. (Run time is a few seconds; the count is the point, not the speed.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeWearableFrame, encodeWearableFrame, readWearableFrame } from './ble-frame';
import { bytesFromHex, utf8Decode } from './bytes';
import { cborDecode } from './cbor';
import { cobsDecode } from './cobs';
import { mac0Decode } from './cose';
import { Link } from './link';
import {
  AckStage,
  FaultCode,
  MessageType,
  decodeMessage,
  encodeMessage,
} from './messages';
import { replayWindowFromState } from './replay';
import { RotatingIdResolver } from './resolver';
import type { Result } from './result';
import { openPostAck } from './post-ack';
import { openMessage, sealMessage } from './seal';
import { FrameDecoder, LinkEncoder, parseLinkFrame } from './serial-framing';
import { sha256 } from './test/node-crypto';
import { decodeWearableAck, encodeWearableAck, isWearableAckFor } from './wearable-ack';
import { openWearableFrame } from './wearable-open';

const INPUTS_PER_DECODER = 100_000;

const KNOWN_CODES = new Set([
  'truncated',
  'unsupported',
  'bad-cbor',
  'too-large',
  'non-canonical',
  'trailing-bytes',
  'duplicate-key',
  'bad-key',
  'bad-utf8',
  'too-deep',
  'wrong-cbor-tag',
  'not-cose-mac0',
  'bad-header',
  'unsupported-alg',
  'bad-tag',
  'not-a-message',
  'unknown-version',
  'unknown-type',
  'bad-field',
  'bad-kid',
  'unknown-device',
  'bad-length',
  'wrong-kind',
  'bad-cobs',
  'bad-crc',
  'unknown-kind',
  'bad-hex',
  'bad-state',
  'unknown-rotating-id',
]);

let seed = 0x2545f491;
function nextRandom(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
}
function below(n: number): number {
  return Math.floor(nextRandom() * n);
}

const INTERESTING = [
  0x00, 0x01, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1f, 0x40, 0x5f, 0x80, 0x9f, 0xa0, 0xbf,
  0xd1, 0xf4, 0xf6, 0xf9, 0xff,
];

function randomBytes(maxLength: number): Uint8Array {
  const bytes = new Uint8Array(below(maxLength + 1));
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = nextRandom() < 0.3 ? INTERESTING[below(INTERESTING.length)] : below(256);
  }
  return bytes;
}

function spliced(
  bytes: Uint8Array,
  at: number,
  removed: number,
  inserted: Uint8Array,
): Uint8Array {
  const cut = Math.min(at, bytes.length);
  const rest = bytes.subarray(Math.min(cut + removed, bytes.length));
  const out = new Uint8Array(cut + inserted.length + rest.length);
  out.set(bytes.subarray(0, cut), 0);
  out.set(inserted, cut);
  out.set(rest, cut + inserted.length);
  return out;
}

function mutate(seedBytes: Uint8Array): Uint8Array {
  let bytes: Uint8Array = seedBytes.slice();
  const edits = 1 + below(4);
  for (let e = 0; e < edits; e++) {
    const at = below(bytes.length + 1);
    const kind = below(6);
    if (kind === 0 && bytes.length > 0) bytes[at % bytes.length] ^= 1 << below(8);
    else if (kind === 1 && bytes.length > 0) {
      bytes[at % bytes.length] = INTERESTING[below(INTERESTING.length)];
    } else if (kind === 2) bytes = bytes.subarray(0, at);
    else if (kind === 3) bytes = spliced(bytes, at, 0, new Uint8Array([below(256)]));
    else if (kind === 4) bytes = spliced(bytes, at, 1, new Uint8Array(0));
    else bytes = spliced(bytes, bytes.length, 0, randomBytes(8));
  }
  return bytes;
}

/** Half random bytes, half mutations of valid inputs. */
function inputs(
  seeds: Uint8Array[],
  maxLength: number,
  visit: (input: Uint8Array) => void,
): void {
  for (let i = 0; i < INPUTS_PER_DECODER; i++) {
    visit(i % 2 === 0 ? randomBytes(maxLength) : mutate(seeds[below(seeds.length)]));
  }
}

function checkResult(name: string, result: Result<unknown>): void {
  if (result.ok) return;
  if (!KNOWN_CODES.has(result.error.code) || result.error.message.length === 0) {
    assert.unreachable(`${name} returned unknown error ${JSON.stringify(result.error)}`);
  }
}

function isOneOf(input: Uint8Array, genuine: Uint8Array[]): boolean {
  const text = Buffer.from(input).toString('hex');
  return genuine.some((bytes) => Buffer.from(bytes).toString('hex') === text);
}

/** genuine: when given, the only inputs the decoder may accept (a tag-checking reader). */
function fuzz(
  name: string,
  seeds: Uint8Array[],
  maxLength: number,
  decode: (input: Uint8Array) => Result<unknown>,
  genuine?: Uint8Array[],
): void {
  test(`${name} survives ${INPUTS_PER_DECODER} random and mutated inputs with typed errors`, () => {
    let accepted = 0;
    inputs(seeds, maxLength, (input) => {
      let result: Result<unknown>;
      try {
        result = decode(input);
      } catch (error) {
        assert.unreachable(
          `${name} threw ${String(error)} on ${Buffer.from(input).toString('hex')}`,
        );
        return;
      }
      checkResult(name, result);
      if (!result.ok) return;
      accepted += 1;
      if (genuine !== undefined && !isOneOf(input, genuine)) {
        assert.unreachable(`${name} accepted ${Buffer.from(input).toString('hex')}`);
      }
    });
    assert.ok(accepted < INPUTS_PER_DECODER);
  });
}

const key = sha256(new Uint8Array([1]));
const window = 1995888;
const messages = [
  { type: MessageType.Alarm, counter: 1, battery: 90 },
  { type: MessageType.Cancel, counter: 2, ref: 1 },
  { type: MessageType.Heartbeat, counter: 3, mains: true, inCall: true },
  { type: MessageType.Fault, counter: 4, fault: FaultCode.Tamper, active: true },
  { type: MessageType.TestAlarm, counter: 5 },
  { type: MessageType.Ack, ref: 1, stage: AckStage.HelpComing, eta: 300 },
] as const;
const sealed = messages.map((m) => sealMessage(sha256, '0000002a', key, m));
const payloads = messages.map((m) => encodeMessage(m));
const uplinks = messages.filter((m) => m.type !== MessageType.Ack);
const wearableFrames = uplinks.map((m) =>
  encodeWearableFrame(sha256, key, { window, message: m }),
);
const downlinks = [
  messages[5],
  { type: MessageType.Ack, ref: 1, stage: AckStage.Received },
  { type: MessageType.Ack, ref: 1, stage: AckStage.HelpComing, eta: 0 },
  { type: MessageType.Ack, ref: 1, stage: AckStage.Closed },
] as const;
const wearableAcks = downlinks.map((ack) => encodeWearableAck(sha256, key, window, ack));
const postAcks = [
  ...downlinks,
  { type: MessageType.Ack, ref: 4294967295, stage: AckStage.HelpComing, eta: 65535 },
].map((ack) => sealMessage(sha256, '0000002a', key, ack));
const postKid = new Uint8Array([0x00, 0x00, 0x00, 0x2a]);
const encoder = new LinkEncoder();
const linkWire = sealed.map((s) => {
  const frame = encoder.data(7, s);
  return frame.ok ? frame.value : new Uint8Array(0);
});
const resolver = new RotatingIdResolver(sha256, window);
resolver.addDevice('0000002a', key);

fuzz('cborDecode', [...sealed, ...payloads], 64, cborDecode);
fuzz('mac0Decode', sealed, 64, mac0Decode);
fuzz('decodeMessage', payloads, 32, decodeMessage);
fuzz('openMessage', sealed, 64, (input) => openMessage(sha256, input, () => key));
fuzz('readWearableFrame', wearableFrames, 26, readWearableFrame);
fuzz('decodeWearableFrame', wearableFrames, 26, (input) =>
  decodeWearableFrame(sha256, key, window, input),
);
fuzz('openWearableFrame', wearableFrames, 26, (input) =>
  openWearableFrame(sha256, input, resolver),
);
fuzz('decodeWearableAck', wearableAcks, 26, (input) =>
  decodeWearableAck(sha256, key, window, input),
);
// The device-side readers check the tag themselves: only the genuine acks may pass.
fuzz(
  'openPostAck',
  [...postAcks, ...sealed],
  40,
  (input) => openPostAck(sha256, key, postKid, input),
  postAcks,
);
fuzz(
  'cobsDecode',
  linkWire.map((w) => w.subarray(1, w.length - 1)),
  64,
  cobsDecode,
);
const rawLinkFrames = linkWire.map((w) => {
  const raw = cobsDecode(w.subarray(1, w.length - 1));
  return raw.ok ? raw.value : new Uint8Array(0);
});
fuzz('parseLinkFrame', rawLinkFrames, 64, parseLinkFrame);
fuzz('bytesFromHex', [new Uint8Array([0x30, 0x61, 0x46, 0x39])], 12, (input) =>
  bytesFromHex(String.fromCharCode(...input)),
);
fuzz(
  'utf8Decode',
  [new Uint8Array([0xe6, 0xb0, 0xb4, 0xf0, 0x9f, 0x9a, 0xa8])],
  16,
  utf8Decode,
);
// Stored replay state comes back from a database as JSON: fuzz its numbers.
fuzz('replayWindowFromState', payloads, 40, (input) => {
  const highest = input.length > 0 ? input[0] * 3 - 2 : -1;
  const recent: number[] = [];
  for (let i = 1; i < input.length; i++)
    recent.push(highest - (input[i] % 40) + (i % 3) / 2);
  return replayWindowFromState({ highest: highest, recent: recent });
});

// The wearable's one-pass check answers a boolean: false for anything but a genuine ack of
// counter 1 under its key and window, and never a throw.
test(`isWearableAckFor survives ${INPUTS_PER_DECODER} random and mutated frames`, () => {
  let accepted = 0;
  inputs(wearableAcks, 26, (input) => {
    let heard: unknown;
    try {
      heard = isWearableAckFor(sha256, key, window, input, 1);
    } catch (error) {
      assert.unreachable(
        `isWearableAckFor threw ${String(error)} on ${Buffer.from(input).toString('hex')}`,
      );
    }
    assert.type(heard, 'boolean');
    if (heard !== true) return;
    accepted += 1;
    if (!isOneOf(input, wearableAcks)) {
      assert.unreachable(
        `isWearableAckFor accepted ${Buffer.from(input).toString('hex')}`,
      );
    }
  });
  assert.ok(accepted < INPUTS_PER_DECODER);
});

test(`FrameDecoder survives ${INPUTS_PER_DECODER} random and mutated chunks with typed errors`, () => {
  const decoder = new FrameDecoder();
  inputs(linkWire, 300, (chunk) => {
    for (const result of decoder.push(chunk)) checkResult('FrameDecoder', result);
  });
});

test(`Link.receive survives ${INPUTS_PER_DECODER} random and mutated chunks without throwing`, () => {
  let written = 0;
  const link = new Link({
    write: () => (written += 1),
    onMessage: (_payload, accept) => accept(),
    timer: { setTimeout: () => 0, clearTimeout: () => undefined },
  });
  inputs(linkWire, 300, (chunk) => link.receive(chunk));
  assert.ok(link.stats.badFrames > 0);
  assert.ok(written > 0);
});

test.run();
