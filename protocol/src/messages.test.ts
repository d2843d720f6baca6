import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cborDecode, cborEncode } from './cbor';
import { CborMap } from './cbor-types';
import {
  AckStage,
  FaultCode,
  MessageType,
  decodeMessage,
  encodeMessage,
} from './messages';
import type { DeviceMessage } from './messages';
import { asCanonicalCborX, asCborX, cborXDecode, cborXEncode } from './test/cbor-x-check';
import { hex, toHex } from './test/node-crypto';

const catalogue: DeviceMessage[] = [
  { type: MessageType.Alarm, counter: 42, battery: 87 },
  { type: MessageType.Alarm, counter: 4294967295 },
  { type: MessageType.Cancel, counter: 43, ref: 42 },
  { type: MessageType.Cancel, counter: 44 },
  { type: MessageType.Heartbeat, counter: 45, battery: 100, mains: true },
  { type: MessageType.Heartbeat, counter: 45, battery: 100, mains: true, inCall: true },
  { type: MessageType.Heartbeat, counter: 45, mains: false, inCall: false },
  { type: MessageType.Fault, counter: 46, fault: FaultCode.Tamper, active: true },
  { type: MessageType.Fault, counter: 47, fault: FaultCode.MainsLost, active: false },
  { type: MessageType.Fault, counter: 48, fault: FaultCode.OnBattery, active: true },
  {
    type: MessageType.Fault,
    counter: 49,
    fault: FaultCode.LowBattery,
    active: true,
    battery: 9,
  },
  { type: MessageType.Fault, counter: 50, fault: FaultCode.SelfTestFailed, active: true },
  { type: MessageType.Fault, counter: 51, fault: FaultCode.StuckButton, active: true },
  { type: MessageType.TestAlarm, counter: 52 },
  { type: MessageType.Ack, ref: 42, stage: AckStage.Received },
  { type: MessageType.Ack, ref: 42, stage: AckStage.HelpComing, eta: 240 },
  { type: MessageType.Ack, ref: 42, stage: AckStage.Closed },
];

for (const message of catalogue) {
  const label = JSON.stringify(message);
  test(`message ${label} survives encode then decode`, () => {
    const decoded = decodeMessage(encodeMessage(message));
    assert.ok(decoded.ok);
    if (decoded.ok) assert.equal(decoded.value, message);
  });

  test(`message ${label} decodes with cbor-x and is cbor-x's encoding with sorted keys`, () => {
    const bytes = encodeMessage(message);
    const viaCborX = cborXDecode(bytes);
    const ours = cborDecode(bytes);
    assert.ok(ours.ok);
    if (!ours.ok) return;
    assert.equal(viaCborX, asCborX(ours.value));
    assert.is(toHex(cborXEncode(asCanonicalCborX(ours.value))), toHex(bytes));
  });
}

test('an alarm is the map {0: 1, 1: 1, 2: counter, 3: battery} in key order', () => {
  const bytes = encodeMessage({ type: MessageType.Alarm, counter: 42, battery: 87 });
  assert.is(toHex(bytes), 'a4000101010218' + '2a' + '031857');
});

function codeOf(bytes: Uint8Array): string {
  const decoded = decodeMessage(bytes);
  return decoded.ok ? 'ok' : decoded.error.code;
}

function mapOf(pairs: [number, number | boolean][]): Uint8Array {
  const map = new CborMap();
  for (const pair of pairs) map.set(pair[0], pair[1]);
  return cborEncode(map);
}

test('a message of version 2 is refused as unknown-version', () => {
  assert.is(
    codeOf(
      mapOf([
        [0, 2],
        [1, 1],
        [2, 5],
      ]),
    ),
    'unknown-version',
  );
});

test('a message type outside 1..6 is refused as unknown-type', () => {
  assert.is(
    codeOf(
      mapOf([
        [0, 1],
        [1, 7],
        [2, 5],
      ]),
    ),
    'unknown-type',
  );
  assert.is(
    codeOf(
      mapOf([
        [0, 1],
        [1, 0],
        [2, 5],
      ]),
    ),
    'unknown-type',
  );
});

test('an alarm without a counter is a bad-field error', () => {
  assert.is(
    codeOf(
      mapOf([
        [0, 1],
        [1, 1],
      ]),
    ),
    'bad-field',
  );
});

test("a post's heartbeat in a call is the map with key 10 true after mains", () => {
  const bytes = encodeMessage({
    type: MessageType.Heartbeat,
    counter: 7,
    battery: 87,
    mains: true,
    inCall: true,
  });
  assert.is(toHex(bytes), 'a6000101030207031857' + '09f5' + '0af5');
});

test('a heartbeat whose inCall is not a boolean is a bad-field error', () => {
  assert.is(
    codeOf(
      mapOf([
        [0, 1],
        [1, 3],
        [2, 5],
        [10, 1],
      ]),
    ),
    'bad-field',
  );
});

test('inCall (key 10) on a message other than a heartbeat is ignored, as unknown keys are', () => {
  const decoded = decodeMessage(
    mapOf([
      [0, 1],
      [1, 1],
      [2, 5],
      [10, true],
    ]),
  );
  assert.ok(decoded.ok);
  if (decoded.ok) assert.equal(decoded.value, { type: MessageType.Alarm, counter: 5 });
});

test('a battery above 100 % is a bad-field error', () => {
  assert.is(
    codeOf(
      mapOf([
        [0, 1],
        [1, 1],
        [2, 5],
        [3, 101],
      ]),
    ),
    'bad-field',
  );
});

test('a fault with an undefined code or a non-boolean active is a bad-field error', () => {
  assert.is(
    codeOf(
      mapOf([
        [0, 1],
        [1, 4],
        [2, 5],
        [4, 9],
        [5, true],
      ]),
    ),
    'bad-field',
  );
  assert.is(
    codeOf(
      mapOf([
        [0, 1],
        [1, 4],
        [2, 5],
        [4, 1],
        [5, 1],
      ]),
    ),
    'bad-field',
  );
});

test('an ack with stage 4 is a bad-field error', () => {
  assert.is(
    codeOf(
      mapOf([
        [0, 1],
        [1, 6],
        [6, 5],
        [7, 4],
      ]),
    ),
    'bad-field',
  );
});

test('a counter beyond uint32 is a bad-field error', () => {
  assert.is(
    codeOf(
      mapOf([
        [0, 1],
        [1, 1],
        [2, 4294967296],
      ]),
    ),
    'bad-field',
  );
});

test('unknown keys are ignored within version 1', () => {
  const decoded = decodeMessage(
    mapOf([
      [0, 1],
      [1, 5],
      [2, 5],
      [20, 1],
    ]),
  );
  assert.ok(decoded.ok);
  if (decoded.ok)
    assert.equal(decoded.value, { type: MessageType.TestAlarm, counter: 5 });
});

test('a CBOR array is not a message', () => {
  assert.is(codeOf(hex('8100')), 'not-a-message');
});

test.run();
