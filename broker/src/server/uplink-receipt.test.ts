// The durability receipt on a real Aedes: the gateway's QoS 2 PUBREC (and so its publish
// callback) waits for the ingest's onUplink promise, and a failed ingest gives no receipt.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Packet } from 'mqtt';
import { GATEWAY_A, closed, connectGateway, startTestBroker } from './test-support';
import type { TestBroker } from './test-support';
import { gatewayTopic } from './topics';

const UPLINK = gatewayTopic(GATEWAY_A.id, 'up');

function deferred() {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

let running: TestBroker | undefined;

test.after.each(async () => {
  await running?.stop();
  running = undefined;
});

test('the PUBREC for an uplink waits until onUplink has settled', async () => {
  const ingestCalled = deferred();
  const ingestDone = deferred();
  running = await startTestBroker({
    onUplink: async (gatewayId, payload) => {
      assert.is(gatewayId, GATEWAY_A.id);
      assert.is(payload.toString(), 'alarm');
      ingestCalled.resolve();
      await ingestDone.promise;
    },
  });
  const gateway = await connectGateway(running.tcpUrl);
  const received: string[] = [];
  gateway.on('packetreceive', (packet: Packet) => received.push(packet.cmd));
  let receipted = false;
  const publish = gateway.publishAsync(UPLINK, 'alarm', { qos: 2 }).then(() => {
    receipted = true;
  });

  await ingestCalled.promise;
  // The fake ingest work: hold the write for a while and watch the wire meanwhile.
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.not.ok(received.includes('pubrec'), 'PUBREC arrived before the ingest finished');
  assert.is(receipted, false);

  ingestDone.resolve();
  await publish;
  assert.equal(
    received.filter((cmd) => cmd === 'pubrec' || cmd === 'pubcomp'),
    ['pubrec', 'pubcomp'],
  );
  await gateway.endAsync();
});

test('a failed ingest gives no receipt, and the retransmission is ingested again', async () => {
  let attempts = 0;
  running = await startTestBroker({
    onUplink: async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('disk full');
    },
  });
  // A persistent session: mqtt.js resends the same PUBLISH (same message id) on
  // reconnect, which Aedes would receipt from its store if the hook did not forget it.
  const gateway = await connectGateway(running.tcpUrl, GATEWAY_A, {
    clean: false,
    reconnectPeriod: 100,
  });
  const received: string[] = [];
  gateway.on('packetreceive', (packet: Packet) => received.push(packet.cmd));
  await gateway.publishAsync(UPLINK, 'alarm', { qos: 2 });
  assert.is(attempts, 2);
  assert.is(received.filter((cmd) => cmd === 'pubrec').length, 1);
  await gateway.endAsync();
});

test('a retransmission while the first copy is still being recorded is ingested, not receipted', async () => {
  const firstStarted = deferred();
  const secondStarted = deferred();
  let failFirst: (error: Error) => void = () => undefined;
  let calls = 0;
  running = await startTestBroker({
    onUplink: async () => {
      calls += 1;
      if (calls === 1) {
        firstStarted.resolve();
        await new Promise<void>((_resolve, reject) => (failFirst = reject));
      }
      secondStarted.resolve();
    },
  });
  const gateway = await connectGateway(running.tcpUrl, GATEWAY_A, {
    clean: false,
    reconnectPeriod: 100,
  });
  const receipted = gateway.publishAsync(UPLINK, 'alarm', { qos: 2 });
  await firstStarted.promise;
  // The link drops while the ingest still works on the first copy; mqtt.js reconnects
  // and sends the same PUBLISH again (DUP, same message id) on its persistent session.
  gateway.stream.destroy();
  const first = await Promise.race([
    secondStarted.promise.then(() => 'ingested again'),
    receipted.then(() => 'receipted from the store'),
  ]);
  assert.is(first, 'ingested again');
  failFirst(new Error('disk full'));
  await receipted;
  await gateway.endAsync();
});

test('an ingest silent past the deadline gives no receipt: the connection closes', async () => {
  running = await startTestBroker({
    uplinkTimeoutMs: 200,
    onUplink: () => new Promise<void>(() => undefined),
  });
  const gateway = await connectGateway(running.tcpUrl);
  const received: string[] = [];
  gateway.on('packetreceive', (packet: Packet) => received.push(packet.cmd));
  const gone = closed(gateway);
  gateway.publish(UPLINK, 'alarm', { qos: 2 });
  await gone;
  assert.not.ok(received.includes('pubrec'));
  gateway.end(true);
});

test('a broker started without an ingest receipts no uplink', async () => {
  running = await startTestBroker();
  const gateway = await connectGateway(running.tcpUrl);
  const received: string[] = [];
  gateway.on('packetreceive', (packet: Packet) => received.push(packet.cmd));
  const gone = closed(gateway);
  gateway.publish(UPLINK, 'alarm', { qos: 2 });
  await gone;
  assert.not.ok(received.includes('pubrec'));
  gateway.end(true);
});

test.run();
