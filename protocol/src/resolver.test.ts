import { createHmac } from 'node:crypto';
import sinon from 'sinon';
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

// Cost, counted rather than timed: hashes made by the SHA-256 or HMAC the resolver was given.
const nodeHmac = (key: Uint8Array, message: Uint8Array): Uint8Array =>
  new Uint8Array(createHmac('sha256', key).update(message).digest());

function spiedResolver(count: number, injectHmac: boolean) {
  const sha = sinon.spy(sha256);
  const hmac = sinon.spy(nodeHmac);
  const resolver = new RotatingIdResolver(sha, W, injectHmac ? hmac : undefined);
  for (let n = 0; n < count; n++) resolver.addDevice(deviceId(n), keyFor(n));
  const heard = [W - 1, W, W + 1].map((w) => rotatingId(sha256, keyFor(count - 1), w));
  const stranger = rotatingId(sha256, keyFor(count + 1), W);
  sha.resetHistory();
  hmac.resetHistory();
  return { resolver, sha, hmac, heard, stranger };
}

for (const injectHmac of [false, true]) {
  const how = injectHmac ? 'an injected HMAC' : 'the portable HMAC';
  test(`resolve hashes nothing, hit or miss, with ${how}`, () => {
    for (const count of [10, 400]) {
      const spied = spiedResolver(count, injectHmac);
      for (const id of spied.heard) {
        assert.is(spied.resolver.resolve(id)?.deviceId, deviceId(count - 1));
      }
      assert.is(spied.resolver.resolve(spied.stranger), undefined);
      assert.is(spied.sha.callCount + spied.hmac.callCount, 0);
    }
  });

  test(`advancing a window costs one HMAC per key, so 2N keys cost twice N, with ${how}`, () => {
    const calls = (count: number, to: number): number => {
      const spied = spiedResolver(count, injectHmac);
      spied.resolver.advanceTo(to);
      // The portable HMAC is two SHA-256 runs (RFC 2104); an injected one hashes itself.
      return injectHmac ? spied.hmac.callCount : spied.sha.callCount / 2;
    };
    assert.is(calls(100, W + 1), 100);
    assert.is(calls(200, W + 1), 200);
    assert.is(calls(200, W - 1), 200, 'backwards too');
    assert.is(calls(200, W + 50), 600, 'a jump recomputes all three windows');
    assert.is(calls(200, W), 0, 'staying put costs nothing');
  });
}

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
