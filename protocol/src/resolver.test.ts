import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeWearableFrame } from './ble-frame';
import { MessageType } from './messages';
import { RotatingIdResolver } from './resolver';
import { rotatingId } from './rotating-id';
import { sha256 } from './test/node-crypto';
import { openWearableFrame } from './wearable-open';

function keyFor(n: number): Uint8Array {
  return sha256(new Uint8Array([n & 0xff, n >> 8]));
}

function deviceId(n: number): string {
  return n.toString(16).padStart(8, '0');
}

const W = 1995888;

function resolverWith(count: number): RotatingIdResolver {
  const resolver = new RotatingIdResolver(sha256, W);
  for (let n = 0; n < count; n++) resolver.addDevice(deviceId(n), keyFor(n));
  return resolver;
}

test('ids of the previous, current and next window resolve to device and window', () => {
  const resolver = resolverWith(50);
  for (const w of [W - 1, W, W + 1]) {
    const found = resolver.resolve(rotatingId(sha256, keyFor(17), w));
    assert.is(found?.deviceId, deviceId(17));
    assert.is(found?.window, w);
  }
  assert.is(resolver.size, 150);
});

test('ids two windows away do not resolve', () => {
  const resolver = resolverWith(5);
  assert.is(resolver.resolve(rotatingId(sha256, keyFor(1), W + 2)), undefined);
  assert.is(resolver.resolve(rotatingId(sha256, keyFor(1), W - 2)), undefined);
});

test('advancing one window drops the oldest ids and adds the newest', () => {
  const resolver = resolverWith(5);
  resolver.advanceTo(W + 1);
  assert.is(resolver.resolve(rotatingId(sha256, keyFor(1), W - 1)), undefined);
  assert.is(resolver.resolve(rotatingId(sha256, keyFor(1), W + 2))?.window, W + 2);
  assert.is(resolver.size, 15);
});

test('a jump of many windows leaves exactly the three new windows', () => {
  const resolver = resolverWith(5);
  resolver.advanceTo(W + 100);
  assert.is(resolver.size, 15);
  assert.is(
    resolver.resolve(rotatingId(sha256, keyFor(3), W + 99))?.deviceId,
    deviceId(3),
  );
  assert.is(resolver.resolve(rotatingId(sha256, keyFor(3), W)), undefined);
});

test('a device in key rotation resolves under both keys; removal forgets both', () => {
  const resolver = resolverWith(2);
  const newKey = keyFor(999);
  resolver.addDevice(deviceId(1), newKey);
  assert.is(resolver.resolve(rotatingId(sha256, newKey, W))?.deviceId, deviceId(1));
  assert.is(resolver.resolve(rotatingId(sha256, keyFor(1), W))?.deviceId, deviceId(1));
  resolver.removeDevice(deviceId(1));
  assert.is(resolver.resolve(rotatingId(sha256, newKey, W)), undefined);
  assert.is(resolver.resolve(rotatingId(sha256, keyFor(1), W)), undefined);
  assert.is(resolver.size, 3);
});

test('openWearableFrame resolves, verifies and returns the message', () => {
  const resolver = resolverWith(20);
  const message = { type: MessageType.Alarm, counter: 12, battery: 80 } as const;
  const bytes = encodeWearableFrame(sha256, keyFor(7), { window: W + 1, message });
  const opened = openWearableFrame(sha256, bytes, resolver);
  assert.ok(opened.ok);
  if (!opened.ok) return;
  assert.is(opened.value.deviceId, deviceId(7));
  assert.is(opened.value.window, W + 1);
  assert.equal(opened.value.message, message);
});

test('openWearableFrame refuses an unknown id and a forged tag with typed errors', () => {
  const resolver = resolverWith(20);
  const message = { type: MessageType.Alarm, counter: 12 } as const;
  const stranger = encodeWearableFrame(sha256, keyFor(500), { window: W, message });
  const unknown = openWearableFrame(sha256, stranger, resolver);
  assert.is(unknown.ok ? 'ok' : unknown.error.code, 'unknown-rotating-id');
  const forged = encodeWearableFrame(sha256, keyFor(7), { window: W, message });
  forged[20] ^= 0xff;
  const refused = openWearableFrame(sha256, forged, resolver);
  assert.is(refused.ok ? 'ok' : refused.error.code, 'bad-tag');
});

test.run();
