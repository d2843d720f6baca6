import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AckStage, MessageType } from './messages';
import { rotatingId, windowMask } from './rotating-id';
import { hex, sha256, toHex } from './test/node-crypto';
import {
  decodeWearableAck,
  encodeWearableAck,
  isWearableAckFor,
  readWearableAck,
  verifyWearableAck,
} from './wearable-ack';

const key = hex('5a'.repeat(32));
const window = 1995888;
const helpComing = {
  type: MessageType.Ack,
  ref: 300,
  stage: AckStage.HelpComing,
  eta: 240,
} as const;

test('a wearable ack round-trips and is addressed by the rotating id of its window', () => {
  const ack = decodeWearableAck(
    sha256,
    key,
    window,
    encodeWearableAck(sha256, key, window, helpComing),
  );
  assert.ok(ack.ok);
  if (!ack.ok) return;
  assert.equal(ack.value.message, helpComing);
  assert.is(toHex(ack.value.rotatingId), toHex(rotatingId(sha256, key, window)));
});

test('the wearable accepts an ack tagged with its key for its window', () => {
  const ack = decodeWearableAck(
    sha256,
    key,
    window,
    encodeWearableAck(sha256, key, window, helpComing),
  );
  assert.ok(ack.ok && verifyWearableAck(sha256, key, ack.value, window));
});

test('an ack for another window or under another key is refused', () => {
  const ack = decodeWearableAck(
    sha256,
    key,
    window,
    encodeWearableAck(sha256, key, window, helpComing),
  );
  assert.ok(ack.ok);
  if (!ack.ok) return;
  assert.not.ok(verifyWearableAck(sha256, key, ack.value, window + 1));
  assert.not.ok(verifyWearableAck(sha256, hex('5b'.repeat(32)), ack.value, window));
});

test('a forged stage (received turned into closed) fails the tag', () => {
  const received = { type: MessageType.Ack, ref: 300, stage: AckStage.Received } as const;
  const bytes = encodeWearableAck(sha256, key, window, received);
  // Flipping the masked stage from 1 to 3 needs no key: XOR keeps working under a mask.
  bytes[13] ^= AckStage.Received ^ AckStage.Closed;
  const ack = decodeWearableAck(sha256, key, window, bytes);
  assert.ok(ack.ok && ack.value.message.stage === AckStage.Closed);
  assert.ok(ack.ok && !verifyWearableAck(sha256, key, ack.value, window));
});

test('an ack without ETA decodes without one', () => {
  const closed = { type: MessageType.Ack, ref: 300, stage: AckStage.Closed } as const;
  const ack = decodeWearableAck(
    sha256,
    key,
    window,
    encodeWearableAck(sha256, key, window, closed),
  );
  assert.ok(ack.ok);
  if (ack.ok) assert.equal(ack.value.message, closed);
});

test('an uplink event frame is not an ack (wrong-kind); a bad stage is bad-field', () => {
  const bytes = encodeWearableAck(sha256, key, window, helpComing);
  bytes[0] = 0x11;
  const wrongKind = decodeWearableAck(sha256, key, window, bytes);
  assert.is(wrongKind.ok ? 'ok' : wrongKind.error.code, 'wrong-kind');
  bytes[0] = 0x12;
  bytes[13] ^= AckStage.HelpComing; // unmasks to stage 0
  const badStage = decodeWearableAck(sha256, key, window, bytes);
  assert.is(badStage.ok ? 'ok' : badStage.error.code, 'bad-field');
});

test('ref, stage and eta are masked with the second half of the window mask', () => {
  const bytes = encodeWearableAck(sha256, key, window, helpComing);
  const mask = windowMask(sha256, key, window);
  const plain = [0, 0, 0x01, 0x2c, AckStage.HelpComing, 0, 240];
  for (let offset = 9; offset < 16; offset++) {
    assert.is(bytes[offset], plain[offset - 9] ^ mask[16 + offset], 'offset ' + offset);
  }
});

test('the ack for the same ref has other id and masked bytes in the next window', () => {
  const a = encodeWearableAck(sha256, key, window, helpComing);
  const b = encodeWearableAck(sha256, key, window + 1, helpComing);
  assert.is.not(toHex(a.subarray(9, 16)), toHex(b.subarray(9, 16)));
  assert.is.not(toHex(a.subarray(1, 9)), toHex(b.subarray(1, 9)));
});

test('readWearableAck gives the rotating id it is addressed to without the key', () => {
  const id = readWearableAck(encodeWearableAck(sha256, key, window, helpComing));
  assert.ok(id.ok && toHex(id.value) === toHex(rotatingId(sha256, key, window)));
});

const heard = (): Uint8Array => encodeWearableAck(sha256, key, window, helpComing);

test('the one-pass check accepts what decode + verify accept', () => {
  assert.ok(isWearableAckFor(sha256, key, window, heard(), helpComing.ref));
});

test('the one-pass check refuses an ack for another counter', () => {
  assert.not.ok(isWearableAckFor(sha256, key, window, heard(), helpComing.ref + 1));
});

test('the one-pass check refuses an ack for another window or another key', () => {
  assert.not.ok(isWearableAckFor(sha256, key, window + 1, heard(), helpComing.ref));
  const other = hex('5b'.repeat(32));
  assert.not.ok(isWearableAckFor(sha256, other, window, heard(), helpComing.ref));
});

test('the one-pass check refuses a frame whose tag was altered', () => {
  const forged = heard();
  forged[23] = forged[23] ^ 1;
  assert.not.ok(isWearableAckFor(sha256, key, window, forged, helpComing.ref));
});

test.run();
