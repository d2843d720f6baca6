// The permission table, as a specification; the broker tests check it on the wire.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { maySubscribe, publishRefusal } from './acl';
import type { Identity } from './identity';

const gatewayA: Identity = { role: 'gateway', gatewayId: 'gw-a' };
const prefecture: Identity = { role: 'dispatch', name: 'prefecture' };

test('a gateway publishes its uplink only with QoS 2 and not retained', () => {
  assert.is(publishRefusal(gatewayA, 'urgence/v1/gw/gw-a/up', 2, false), undefined);
  assert.is(
    publishRefusal(gatewayA, 'urgence/v1/gw/gw-a/up', 1, false),
    'uplink-needs-qos-2',
  );
  assert.is(
    publishRefusal(gatewayA, 'urgence/v1/gw/gw-a/up', 2, true),
    'uplink-not-retained',
  );
});

test('a gateway publishes its own state and telemetry, nothing else', () => {
  assert.is(publishRefusal(gatewayA, 'urgence/v1/gw/gw-a/state', 1, true), undefined);
  assert.is(
    publishRefusal(gatewayA, 'urgence/v1/gw/gw-a/telemetry', 0, false),
    undefined,
  );
  for (const topic of [
    'urgence/v1/gw/gw-b/up',
    'urgence/v1/gw/gw-a/down',
    'urgence/v1/feed/changes',
    'urgence/v1/dispatch/commands',
    '$SYS/broker/x',
  ]) {
    assert.is(publishRefusal(gatewayA, topic, 2, false), 'not-your-topic', topic);
  }
});

test('dispatch publishes commands only, never retained', () => {
  assert.is(
    publishRefusal(prefecture, 'urgence/v1/dispatch/commands', 1, false),
    undefined,
  );
  const retained = publishRefusal(prefecture, 'urgence/v1/dispatch/commands', 1, true);
  assert.is(retained, 'command-not-retained');
  assert.is(
    publishRefusal(prefecture, 'urgence/v1/feed/changes', 1, false),
    'not-your-topic',
  );
});

test('nobody unauthenticated publishes or subscribes', () => {
  assert.is(
    publishRefusal(undefined, 'urgence/v1/gw/gw-a/up', 2, false),
    'not-logged-in',
  );
  assert.is(maySubscribe(undefined, 'urgence/v1/feed/#'), false);
});

test('a gateway subscribes to its own downlink only', () => {
  assert.is(maySubscribe(gatewayA, 'urgence/v1/gw/gw-a/down'), true);
  for (const filter of [
    'urgence/v1/gw/+/down',
    'urgence/v1/gw/gw-a/#',
    '#',
    'urgence/v1/feed/#',
  ]) {
    assert.is(maySubscribe(gatewayA, filter), false, filter);
  }
});

test('dispatch subscribes under the feed (wildcards there) and to its own replies', () => {
  for (const filter of [
    'urgence/v1/feed/#',
    'urgence/v1/feed/incidents/+',
    'urgence/v1/dispatch/replies/prefecture',
  ]) {
    assert.is(maySubscribe(prefecture, filter), true, filter);
  }
  for (const filter of [
    '#',
    '+/v1/feed/#',
    'urgence/v1/#',
    'urgence/v1/feed/',
    'urgence/v1/dispatch/replies/+',
    'urgence/v1/dispatch/replies/other',
    'urgence/v1/gw/+/state',
  ]) {
    assert.is(maySubscribe(prefecture, filter), false, filter);
  }
});

test.run();
