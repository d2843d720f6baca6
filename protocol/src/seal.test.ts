import { test } from 'uvu';
import * as assert from 'uvu/assert';
import cose from 'cose-js';
import { mac0Decode } from './cose';
import { AckStage, MessageType, encodeMessage } from './messages';
import { openMessage, sealMessage } from './seal';
import { hex, sha256, toHex } from './test/node-crypto';

const key = hex('0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff');
const newKey = hex('ff'.repeat(32));
const alarm = { type: MessageType.Alarm, counter: 7, battery: 55 } as const;

const keyFor = (deviceId: string) => (deviceId === '0000002a' ? key : undefined);

test('a sealed alarm opens with the device key and names its device', () => {
  const opened = openMessage(sha256, sealMessage(sha256, '0000002a', key, alarm), keyFor);
  assert.ok(opened.ok);
  if (opened.ok) {
    assert.is(opened.value.deviceId, '0000002a');
    assert.equal(opened.value.message, alarm);
  }
});

test('the kid of a sealed message is the 4-byte device id', () => {
  const mac0 = mac0Decode(sealMessage(sha256, '0000002a', key, alarm));
  assert.ok(mac0.ok && toHex(mac0.value.kid) === '0000002a');
});

test('cose-js verifies a sealed message and returns our catalogue payload', async () => {
  const sealed = sealMessage(sha256, '0000002a', key, alarm);
  const payload = await cose.mac.read(Buffer.from(sealed), Buffer.from(key));
  assert.is(toHex(payload), toHex(encodeMessage(alarm)));
});

test('a message from an unregistered device is unknown-device', () => {
  const opened = openMessage(sha256, sealMessage(sha256, '000000ff', key, alarm), keyFor);
  assert.is(opened.ok ? 'ok' : opened.error.code, 'unknown-device');
});

test('a message sealed with another key is bad-tag', () => {
  const opened = openMessage(
    sha256,
    sealMessage(sha256, '0000002a', newKey, alarm),
    keyFor,
  );
  assert.is(opened.ok ? 'ok' : opened.error.code, 'bad-tag');
});

test('during a key rotation a message under either key opens', () => {
  const both = () => [newKey, key];
  assert.ok(openMessage(sha256, sealMessage(sha256, '0000002a', key, alarm), both).ok);
  assert.ok(openMessage(sha256, sealMessage(sha256, '0000002a', newKey, alarm), both).ok);
});

test('a downlink ack sealed by the server opens on the device', () => {
  const ack = {
    type: MessageType.Ack,
    ref: 7,
    stage: AckStage.HelpComing,
    eta: 180,
  } as const;
  const opened = openMessage(sha256, sealMessage(sha256, '0000002a', key, ack), keyFor);
  assert.ok(opened.ok);
  if (opened.ok) assert.equal(opened.value.message, ack);
});

test('a message whose kid is not 4 bytes is bad-kid', () => {
  const bytes = sealMessage(sha256, '0000002a', key, alarm);
  const mac0 = mac0Decode(bytes);
  assert.ok(mac0.ok);
  // Replace the 4-byte kid h'0000002a' by the 3-byte h'00002a' (header 0x44 -> 0x43).
  const text = toHex(bytes).replace('a104440000002a', 'a1044300002a');
  const opened = openMessage(sha256, hex(text), keyFor);
  assert.is(opened.ok ? 'ok' : opened.error.code, 'bad-kid');
});

test('sealing under a malformed device id throws: that is a provisioning bug', () => {
  assert.throws(() => sealMessage(sha256, 'POST-42', key, alarm));
});

test.run();
