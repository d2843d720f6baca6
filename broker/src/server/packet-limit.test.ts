// The packet size guard: the scanner on byte sequences, then raw sockets on a real broker.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connect as connectTcp, createServer } from 'node:net';
import type { Socket } from 'node:net';
import { once } from 'node:events';
import { PacketSizeGuard, RemainingLengthScanner } from './packet-limit';
import { GATEWAY_A, closed, connectGateway, startTestBroker } from './test-support';
import type { TestBroker } from './test-support';
import { gatewayTopic } from './topics';

/** A fixed header with the given remaining length (MQTT 3.1.1 §2.2.3) and a body. */
function packet(type: number, bodyLength: number): Buffer {
  const length: number[] = [];
  let rest = bodyLength;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    length.push(byte);
  } while (rest > 0);
  return Buffer.concat([Buffer.from([type, ...length]), Buffer.alloc(bodyLength)]);
}

test('packets within the limit pass, several in one chunk', () => {
  const scanner = new RemainingLengthScanner(200);
  const chunk = Buffer.concat([packet(0x30, 10), packet(0xc0, 0), packet(0x30, 197)]);
  assert.is(scanner.scan(chunk), undefined);
});

test('a packet one byte over the limit is refused', () => {
  const scanner = new RemainingLengthScanner(200);
  assert.is(scanner.scan(packet(0x30, 198)), 'too-large');
});

test('boundaries are followed when bytes arrive one at a time', () => {
  const scanner = new RemainingLengthScanner(300);
  const stream = Buffer.concat([packet(0x30, 200), packet(0x30, 150), packet(0x30, 297)]);
  for (const byte of stream) assert.is(scanner.scan(Buffer.from([byte])), undefined);
  assert.is(scanner.scan(packet(0x30, 300)), 'too-large');
});

test('a huge length is refused from its first length bytes, before any body', () => {
  const scanner = new RemainingLengthScanner(16 * 1024);
  // 268,435,455: the largest remaining length §2.2.3 allows.
  assert.is(scanner.scan(Buffer.from([0x30, 0xff, 0xff])), 'too-large');
});

test('a fifth remaining-length byte is malformed', () => {
  const scanner = new RemainingLengthScanner(Number.MAX_SAFE_INTEGER);
  assert.is(
    scanner.scan(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x80, 0x01])),
    'malformed-length',
  );
});

let running: TestBroker;

test.before(async () => {
  running = await startTestBroker({ maxPacketBytes: 16 * 1024 });
});

test.after(async () => {
  await running.stop();
});

test('pieces written in one cork reach the socket as one writev, bytes in order', async () => {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const client = connectTcp(port, '127.0.0.1');
  const [accepted] = (await once(server, 'connection')) as [Socket];
  const calls: string[] = [];
  const writev = accepted._writev?.bind(accepted);
  const write = accepted._write.bind(accepted);
  accepted._writev = (chunks, done) => {
    calls.push(`writev ${chunks.length}`);
    writev?.(chunks, done);
  };
  accepted._write = (chunk, encoding, done) => {
    calls.push('write');
    write(chunk, encoding, done);
  };
  const guard = new PacketSizeGuard(accepted, {
    maxPacketBytes: 1024,
    remoteAddress: '127.0.0.1',
    onOversize: () => undefined,
  });
  const pieces = [
    Buffer.from([0x30, 0x07]),
    Buffer.from([0x00, 0x01, 0x74]),
    Buffer.from('ping'),
  ];
  const received: Buffer[] = [];
  client.on('data', (chunk: Buffer) => received.push(chunk));
  try {
    // As mqtt-packet does for every packet: cork, write the pieces, uncork next tick.
    guard.cork();
    for (const piece of pieces) guard.write(piece);
    process.nextTick(() => guard.uncork());
    while (Buffer.concat(received).length < 9) await once(client, 'data');
    assert.equal(Buffer.concat(received), Buffer.concat(pieces));
    assert.equal(calls, ['writev 3']);
  } finally {
    client.destroy();
    guard.destroy();
    server.close();
  }
});

test('an unauthenticated client announcing a 1 MiB CONNECT is disconnected', async () => {
  const socket = connectTcp(running.broker.ports.tcp as number, '127.0.0.1');
  await once(socket, 'connect');
  const gone = once(socket, 'close');
  // CONNECT (0x10) with remaining length 1,048,576 = 0x80 0x80 0x40; no body follows.
  socket.write(Buffer.from([0x10, 0x80, 0x80, 0x40]));
  await gone;
  assert.ok(socket.destroyed);
});

test('a logged-in gateway publishing 20 KiB is disconnected', async () => {
  const gateway = await connectGateway(running.tcpUrl);
  const gone = closed(gateway);
  gateway.publish(gatewayTopic(GATEWAY_A.id, 'telemetry'), Buffer.alloc(20 * 1024));
  await gone;
  gateway.end(true);
});

test('a logged-in gateway publishing 15 KiB stays connected', async () => {
  const gateway = await connectGateway(running.tcpUrl);
  await gateway.publishAsync(
    gatewayTopic(GATEWAY_A.id, 'telemetry'),
    Buffer.alloc(15 * 1024),
    {
      qos: 1,
    },
  );
  assert.ok(gateway.connected);
  await gateway.endAsync();
});

test.run();
