// Logins and topic permissions on a real Aedes over TCP with real mqtt.js clients.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { once } from 'node:events';
import { GATEWAY_A, GATEWAY_B, DISPATCHER, closed } from './test-support';
import {
  connectDispatcher,
  connectGateway,
  grantedQos,
  nextMessage,
} from './test-support';
import { loginOutcome, startTestBroker } from './test-support';
import type { TestBroker } from './test-support';
import { gatewayTopic } from './topics';

let running: TestBroker;

test.before(async () => {
  running = await startTestBroker({ throttle: { baseDelayMs: 1 } });
});

test.after(async () => {
  await running.stop();
});

test('a gateway with its own secret logs in and is listed as connected', async () => {
  const gateway = await connectGateway(running.tcpUrl);
  assert.ok(running.broker.connectedGateways().includes(GATEWAY_A.id));
  await gateway.endAsync();
});

test('a second connection of the same gateway takes its session over', async () => {
  const first = await connectGateway(running.tcpUrl);
  const firstClosed = closed(first);
  const second = await connectGateway(running.tcpUrl);
  await firstClosed;
  assert.ok(second.connected);
  const listed = running.broker.connectedGateways().filter((id) => id === GATEWAY_A.id);
  assert.equal(listed, [GATEWAY_A.id]);
  first.end(true);
  await second.endAsync();
});

test('a wrong secret and an unknown gateway get the same refusal', async () => {
  const wrongSecret = await loginOutcome(running.tcpUrl, {
    clientId: 'gw:gw-a',
    username: 'gw-a',
    password: 'not-the-secret-of-a',
  });
  const unknown = await loginOutcome(running.tcpUrl, {
    clientId: 'gw:gw-zz',
    username: 'gw-zz',
    password: GATEWAY_A.secret,
  });
  assert.is(wrongSecret.code, 4);
  assert.equal(unknown, wrongSecret);
});

test('a login without a password is refused like a wrong one', async () => {
  const outcome = await loginOutcome(running.tcpUrl, {
    clientId: 'gw:gw-a',
    username: 'gw-a',
  });
  assert.is(outcome.code, 4);
});

test('an empty client id is refused with identifier rejected', async () => {
  const outcome = await loginOutcome(running.tcpUrl, {
    clientId: '',
    username: GATEWAY_A.id,
    password: GATEWAY_A.secret,
  });
  assert.is(outcome.code, 2);
});

test('a too long client id is refused with identifier rejected', async () => {
  const outcome = await loginOutcome(running.tcpUrl, {
    clientId: 'x'.repeat(65),
    username: `dispatch:${DISPATCHER.name}`,
    password: DISPATCHER.secret,
  });
  assert.is(outcome.code, 2);
});

test("a gateway logging in under another gateway's client id is refused", async () => {
  const outcome = await loginOutcome(running.tcpUrl, {
    clientId: 'gw:gw-b',
    username: GATEWAY_A.id,
    password: GATEWAY_A.secret,
  });
  assert.is(outcome.code, 2);
});

test('gateway A cannot publish on the uplink of gateway B: its connection is closed', async () => {
  const uplinks: string[] = [];
  const gateway = await connectGateway(running.tcpUrl);
  running.broker.aedes.on('publish', (packet) => uplinks.push(packet.topic));
  const gone = closed(gateway);
  gateway.publish(gatewayTopic(GATEWAY_B.id, 'up'), Buffer.from([1]), { qos: 2 });
  await gone;
  assert.not.ok(uplinks.includes(gatewayTopic(GATEWAY_B.id, 'up')));
  gateway.end(true);
});

test('a gateway uplink sent with QoS 1 is refused: only QoS 2 carries the receipt', async () => {
  const gateway = await connectGateway(running.tcpUrl);
  const gone = closed(gateway);
  gateway.publish(gatewayTopic(GATEWAY_A.id, 'up'), Buffer.from([1]), { qos: 1 });
  await gone;
  gateway.end(true);
});

test('a gateway cannot read the feed, # or another gateway downlink', async () => {
  const gateway = await connectGateway(running.tcpUrl);
  for (const filter of [
    'urgence/v1/feed/#',
    '#',
    '+/v1/gw/gw-a/down',
    gatewayTopic('gw-b', 'down'),
  ]) {
    assert.is(await grantedQos(gateway, filter), 128, filter);
  }
  await gateway.endAsync();
});

test('a gateway receives what the broker publishes on its own downlink', async () => {
  const gateway = await connectGateway(running.tcpUrl);
  assert.is(await grantedQos(gateway, gatewayTopic(GATEWAY_A.id, 'down')), 1);
  const message = nextMessage(gateway);
  await running.broker.publish(gatewayTopic(GATEWAY_A.id, 'down'), Buffer.from('ack'), {
    qos: 1,
  });
  const [topic, payload] = await message;
  assert.is(topic, gatewayTopic(GATEWAY_A.id, 'down'));
  assert.is(payload.toString(), 'ack');
  await gateway.endAsync();
});

test('a dispatcher reads the feed (retained too) but may not subscribe to #', async () => {
  await running.broker.publish('urgence/v1/feed/incidents/i-1', '{"id":"i-1"}', {
    retain: true,
    qos: 1,
  });
  const dispatcher = await connectDispatcher(running.tcpUrl);
  const message = nextMessage(dispatcher);
  assert.is(await grantedQos(dispatcher, 'urgence/v1/feed/#'), 1);
  const [topic, payload] = await message;
  assert.is(topic, 'urgence/v1/feed/incidents/i-1');
  assert.is(payload.toString(), '{"id":"i-1"}');
  assert.is(await grantedQos(dispatcher, '#'), 128);
  assert.is(await grantedQos(dispatcher, 'urgence/v1/gw/+/up'), 128);
  await dispatcher.endAsync();
});

test('a dispatcher subscribes to its own replies only', async () => {
  const dispatcher = await connectDispatcher(running.tcpUrl);
  const own = `urgence/v1/dispatch/replies/${DISPATCHER.name}`;
  assert.is(await grantedQos(dispatcher, own), 1);
  assert.is(
    await grantedQos(dispatcher, 'urgence/v1/dispatch/replies/someone-else'),
    128,
  );
  await dispatcher.endAsync();
});

test('a dispatcher cannot publish as a gateway', async () => {
  const dispatcher = await connectDispatcher(running.tcpUrl);
  const gone = closed(dispatcher);
  dispatcher.publish(gatewayTopic(GATEWAY_A.id, 'up'), Buffer.from([1]), { qos: 2 });
  await gone;
  dispatcher.end(true);
});

test('a gateway last will on its state topic reaches supervision as state', async () => {
  const gateway = await connectGateway(running.tcpUrl, GATEWAY_B, {
    will: {
      topic: gatewayTopic(GATEWAY_B.id, 'state'),
      payload: Buffer.from('{"state":"offline"}'),
      qos: 1,
      retain: true,
    },
  });
  const state = once(running.broker.events, 'state');
  const disconnected = once(running.broker.events, 'disconnected');
  gateway.stream.destroy();
  const [gatewayId, payload] = (await state) as [string, Buffer];
  assert.is(gatewayId, GATEWAY_B.id);
  assert.is(payload.toString(), '{"state":"offline"}');
  assert.equal(await disconnected, [GATEWAY_B.id]);
  assert.not.ok(running.broker.connectedGateways().includes(GATEWAY_B.id));
  gateway.end(true);
});

test("a last will on another gateway's topic is refused at login", async () => {
  const outcome = await loginOutcome(running.tcpUrl, {
    clientId: 'gw:gw-a',
    username: GATEWAY_A.id,
    password: GATEWAY_A.secret,
    will: {
      topic: gatewayTopic('gw-b', 'state'),
      payload: Buffer.from('x'),
      qos: 0,
      retain: true,
    },
  });
  assert.is(outcome.code, 5);
});

test('a dispatch command reaches the ingest hook with the dispatcher name', async () => {
  await running.stop();
  const commands: { name: string; payload: string }[] = [];
  running = await startTestBroker({
    onDispatchCommand: async (dispatcher, payload) => {
      commands.push({ name: dispatcher.name, payload: payload.toString() });
    },
  });
  const dispatcher = await connectDispatcher(running.tcpUrl);
  await dispatcher.publishAsync('urgence/v1/dispatch/commands', '{"command":"close"}', {
    qos: 2,
  });
  assert.equal(commands, [{ name: DISPATCHER.name, payload: '{"command":"close"}' }]);
  await dispatcher.endAsync();
});

test.run();
