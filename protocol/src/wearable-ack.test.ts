import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AckStage, MessageType } from './messages';
import { rotatingId } from './rotating-id';
import { hex, sha256, toHex } from './test/node-crypto';
import { decodeWearableAck, encodeWearableAck, verifyWearableAck } from './wearable-ack';

const key = hex('5a'.repeat(32));
const window = 1995888;
const helpComing = {
  type: MessageType.Ack,
  ref: 300,
  stage: AckStage.HelpComing,
  eta: 240,
} as const;

test('a wearable ack round-trips and is addressed by the rotating id of its window', () => {
  const ack = decodeWearableAck(encodeWearableAck(sha256, key, window, helpComing));
  assert.ok(ack.ok);
  if (!ack.ok) return;
  assert.equal(ack.value.message, helpComing);
  assert.is(toHex(ack.value.rotatingId), toHex(rotatingId(sha256, key, window)));
});

test('the wearable accepts an ack tagged with its key for its window', () => {
  const ack = decodeWearableAck(encodeWearableAck(sha256, key, window, helpComing));
  assert.ok(ack.ok && verifyWearableAck(sha256, key, ack.value, window));
});

test('an ack for another window or under another key is refused', () => {
  const ack = decodeWearableAck(encodeWearableAck(sha256, key, window, helpComing));
  assert.ok(ack.ok);
  if (!ack.ok) return;
  assert.not.ok(verifyWearableAck(sha256, key, ack.value, window + 1));
  assert.not.ok(verifyWearableAck(sha256, hex('5b'.repeat(32)), ack.value, window));
});

test('a forged stage (received turned into closed) fails the tag', () => {
  const received = { type: MessageType.Ack, ref: 300, stage: AckStage.Received } as const;
  const bytes = encodeWearableAck(sha256, key, window, received);
  bytes[13] = AckStage.Closed;
  const ack = decodeWearableAck(bytes);
  assert.ok(ack.ok && !verifyWearableAck(sha256, key, ack.value, window));
});

test('an ack without ETA decodes without one', () => {
  const closed = { type: MessageType.Ack, ref: 300, stage: AckStage.Closed } as const;
  const ack = decodeWearableAck(encodeWearableAck(sha256, key, window, closed));
  assert.ok(ack.ok);
  if (ack.ok) assert.equal(ack.value.message, closed);
});

test('an uplink event frame is not an ack (wrong-kind); a bad stage is bad-field', () => {
  const bytes = encodeWearableAck(sha256, key, window, helpComing);
  bytes[0] = 0x11;
  const wrongKind = decodeWearableAck(bytes);
  assert.is(wrongKind.ok ? 'ok' : wrongKind.error.code, 'wrong-kind');
  bytes[0] = 0x12;
  bytes[13] = 0;
  const badStage = decodeWearableAck(bytes);
  assert.is(badStage.ok ? 'ok' : badStage.error.code, 'bad-field');
});

test.run();
