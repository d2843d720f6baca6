import { test } from 'uvu';
import * as assert from 'uvu/assert';
import cose from 'cose-js';
import {
  WEARABLE_FRAME_BYTES,
  decodeWearableFrame,
  encodeWearableFrame,
  manufacturerData,
  readWearableFrame,
  rebuildMac0,
  verifyWearableFrame,
} from './ble-frame';
import { mac0Decode, mac0Verify } from './cose';
import { FaultCode, MessageType, encodeMessage } from './messages';
import type { UplinkMessage } from './messages';
import {
  rotatingAddress,
  rotatingId,
  windowAad,
  windowMask,
  windowOf,
} from './rotating-id';
import { hex, sha256, toHex } from './test/node-crypto';

const key = hex('a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf');
const window = windowOf(1796300000);
const alarm: UplinkMessage = { type: MessageType.Alarm, counter: 300, battery: 64 };

function decoded(message: UplinkMessage) {
  const frame = decodeWearableFrame(
    sha256,
    key,
    window,
    encodeWearableFrame(sha256, key, { window, message }),
  );
  if (!frame.ok) throw new Error(frame.error.message);
  return frame.value;
}

test('windows are 15 minutes long', () => {
  assert.is(windowOf(899), 0);
  assert.is(windowOf(900), 1);
  assert.is(windowOf(1796300000), 1995888);
});

test('the rotating id changes every window and differs between keys', () => {
  const now = toHex(rotatingId(sha256, key, window));
  assert.is.not(now, toHex(rotatingId(sha256, key, window + 1)));
  assert.is.not(now, toHex(rotatingId(sha256, hex('00'.repeat(32)), window)));
  assert.is(now.length, 16);
});

test('the rotating BLE address is a static random address (top bits 11)', () => {
  const address = rotatingAddress(sha256, key, window);
  assert.is(address.length, 6);
  assert.is(address[0] & 0xc0, 0xc0);
});

test('a frame is 24 bytes and fits the 31-byte advert with flags and company id', () => {
  const frame = encodeWearableFrame(sha256, key, { window, message: alarm });
  assert.is(frame.length, WEARABLE_FRAME_BYTES);
  const advertBytes = 3 + 2 + manufacturerData(frame).length;
  assert.is(advertBytes, 31);
});

test('a decoded frame gives back the rotating id, counter, event and battery', () => {
  const frame = decoded(alarm);
  assert.is(toHex(frame.rotatingId), toHex(rotatingId(sha256, key, window)));
  assert.equal(frame.message, alarm);
});

test('a fault frame carries its code and whether it is active or cleared', () => {
  const fault: UplinkMessage = {
    type: MessageType.Fault,
    counter: 9,
    fault: FaultCode.LowBattery,
    active: false,
  };
  assert.equal(decoded(fault).message, fault);
});

test('the rebuilt COSE_Mac0 verifies with our code under the window aad', () => {
  const mac0 = mac0Decode(rebuildMac0(decoded(alarm), '0000beef'));
  assert.ok(mac0.ok);
  if (!mac0.ok) return;
  assert.is(toHex(mac0.value.kid), '0000beef');
  assert.ok(mac0Verify(sha256, key, mac0.value, windowAad(window)));
  assert.not.ok(mac0Verify(sha256, key, mac0.value, windowAad(window + 1)));
});

test('cose-js verifies the rebuilt COSE_Mac0 and gives back the encoded alarm', async () => {
  const rebuilt = rebuildMac0(decoded(alarm), '0000beef');
  const payload = await cose.mac.read(
    Buffer.from(rebuilt),
    Buffer.from(key),
    Buffer.from(windowAad(window)),
  );
  assert.is(toHex(payload), toHex(encodeMessage(alarm)));
});

test('cose-js and our code refuse the rebuilt COSE_Mac0 under the next window', async () => {
  const rebuilt = rebuildMac0(decoded(alarm), '0000beef');
  const wrongAad = windowAad(window + 1);
  let refusal = 'accepted';
  await cose.mac
    .read(Buffer.from(rebuilt), Buffer.from(key), Buffer.from(wrongAad))
    .catch((error: unknown) => (refusal = String(error)));
  assert.match(refusal, /Tag mismatch/);
  const mac0 = mac0Decode(rebuilt);
  assert.ok(mac0.ok && !mac0Verify(sha256, key, mac0.value, wrongAad));
});

test('verifyWearableFrame accepts the frame for its window and key only', () => {
  const frame = decoded(alarm);
  assert.ok(verifyWearableFrame(sha256, key, frame, window));
  assert.not.ok(verifyWearableFrame(sha256, key, frame, window - 1));
  assert.not.ok(verifyWearableFrame(sha256, hex('11'.repeat(32)), frame, window));
});

test('a frame whose counter was altered on air fails verification', () => {
  const bytes = encodeWearableFrame(sha256, key, { window, message: alarm });
  bytes[12] ^= 0x01;
  const frame = decodeWearableFrame(sha256, key, window, bytes);
  assert.ok(frame.ok && !verifyWearableFrame(sha256, key, frame.value, window));
});

function codeOf(bytes: Uint8Array): string {
  const frame = readWearableFrame(bytes);
  return frame.ok ? 'ok' : frame.error.code;
}

test('frames of the wrong length, version, kind or event are typed errors', () => {
  const good = encodeWearableFrame(sha256, key, { window, message: alarm });
  assert.is(codeOf(good.subarray(0, 23)), 'bad-length');
  const version2 = good.slice();
  version2[0] = 0x21;
  assert.is(codeOf(version2), 'unknown-version');
  const ackKind = good.slice();
  ackKind[0] = 0x12;
  assert.is(codeOf(ackKind), 'wrong-kind');
  const badEvent = good.slice();
  badEvent[13] = 6;
  assert.is(codeOf(badEvent), 'bad-field');
});

test('counter, battery and detail are masked on air; header, id and event are clear', () => {
  const fault: UplinkMessage = {
    type: MessageType.Fault,
    counter: 1,
    fault: FaultCode.Tamper,
    active: true,
    battery: 100,
  };
  const bytes = encodeWearableFrame(sha256, key, { window, message: fault });
  assert.is(bytes[0], 0x11);
  assert.is(toHex(bytes.subarray(1, 9)), toHex(rotatingId(sha256, key, window)));
  assert.is(bytes[13], MessageType.Fault);
  const mask = windowMask(sha256, key, window);
  const plain = [0, 0, 0, 1, MessageType.Fault, 100, 0x81];
  for (let offset = 9; offset < 16; offset++) {
    const expected = offset === 13 ? plain[4] : plain[offset - 9] ^ mask[offset];
    assert.is(bytes[offset], expected, 'offset ' + offset);
  }
});

test('the same counter is masked differently in each window', () => {
  const a = encodeWearableFrame(sha256, key, { window, message: alarm });
  const b = encodeWearableFrame(sha256, key, { window: window + 1, message: alarm });
  assert.is.not(toHex(a.subarray(9, 13)), toHex(b.subarray(9, 13)));
});

test('unmasking with the wrong window fails the field checks or the tag', () => {
  const bytes = encodeWearableFrame(sha256, key, { window, message: alarm });
  const other = decodeWearableFrame(sha256, key, window + 1, bytes);
  assert.ok(!other.ok || !verifyWearableFrame(sha256, key, other.value, window + 1));
});

test('a gateway reads id, event and tag without the key', () => {
  const bytes = encodeWearableFrame(sha256, key, { window, message: alarm });
  const onAir = readWearableFrame(bytes);
  assert.ok(onAir.ok);
  if (!onAir.ok) return;
  assert.is(onAir.value.event, MessageType.Alarm);
  assert.is(toHex(onAir.value.rotatingId), toHex(rotatingId(sha256, key, window)));
  assert.is(toHex(onAir.value.tag), toHex(bytes.subarray(16)));
});

test.run();
