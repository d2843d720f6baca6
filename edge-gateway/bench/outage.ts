// The broker-outage drill, sized by hand (src/gateway.outage.test.ts runs it at 60 s with
// two posts in the test suite; here the length and the number of posts are yours). Run:
//   npx tsx edge-gateway/bench/outage.ts [--seconds 60] [--posts 4]
// Posts send one alarm per second each while the broker is down; prints whether every
// alarm arrived after the broker returned, in order per post, and how long draining took.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { decodeMessage, mac0Decode, MessageType } from '@urgence/protocol';
import { parseConfig, startGateway } from '@urgence/edge-gateway';
import { AedesHarness } from '../src/testing/aedes-harness';
import { SimulatedPost } from '../src/testing/sim-post';
import { ptyPair } from '../src/testing/socat';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    posts: { type: 'string', default: '4' },
  },
});
const SECONDS = Number(values.seconds);
const POSTS = Number(values.posts);

function read(frame: Uint8Array): { device: string; counter: number } {
  const mac0 = mac0Decode(new Uint8Array(frame));
  if (!mac0.ok) throw new Error(mac0.error.message);
  const message = decodeMessage(mac0.value.payload);
  if (!message.ok || message.value.type === MessageType.Ack)
    throw new Error('not an uplink');
  return {
    device: Buffer.from(mac0.value.kid).toString('hex'),
    counter: message.value.counter,
  };
}

const harness = new AedesHarness({
  gatewayId: 'gw-drill',
  secret: 's',
  ingestDelayMs: 2,
});
await harness.start();
const ptys = await Promise.all(Array.from({ length: POSTS }, () => ptyPair()));
const dir = mkdtempSync(join(tmpdir(), 'urgence-outage-'));
const config = parseConfig({
  gatewayId: 'gw-drill',
  broker: { url: harness.url, secret: 's' },
  serial: ptys.map((p) => ({ path: p.gatewayEnd, baudRate: 115200 })),
  outbox: { dir },
});
const gateway = await startGateway(config, { log: pino({ level: 'warn' }) });
const posts = await Promise.all(
  ptys.map((p, i) =>
    SimulatedPost.open(
      p.postEnd,
      (0x100 + i).toString(16).padStart(8, '0'),
      new Uint8Array(32),
    ),
  ),
);

await harness.waitFor(() => harness.subscribed.size > 0);
await harness.stop();
console.log(
  `broker stopped for ${SECONDS} s; ${POSTS} posts send one alarm per second each`,
);
let sent = 0;
for (let second = 1; second <= SECONDS; second++) {
  for (const post of posts) post.send({ type: 1, counter: second });
  sent += POSTS;
  await new Promise((resolve) => setTimeout(resolve, 1000));
}
await Promise.all(posts.map((post) => post.until(() => post.pending === 0, 60_000)));
console.log(
  `all ${sent} alarms link-acked (stored); outbox depth ${gateway.outbox.depth}`,
);

const restarted = Date.now();
await harness.start();
await harness.waitFor(() => harness.uplinks.length >= sent, 600_000);
const drained = (Date.now() - restarted) / 1000;

const byDevice = new Map<string, number[]>();
for (const uplink of harness.uplinks) {
  const { device, counter } = read(uplink.frame);
  byDevice.set(device, [...(byDevice.get(device) ?? []), counter]);
}
const inOrder = [...byDevice.values()].every((c) =>
  c.every((v, i) => i === 0 || v > c[i - 1]),
);
const complete = [...byDevice.values()].every((c) => new Set(c).size === SECONDS);
console.log(
  `broker back: ${harness.uplinks.length} uplinks in ${drained.toFixed(1)} s ` +
    `(incl. reconnect backoff); complete: ${complete}; in order per post: ${inOrder}`,
);

for (const post of posts) await post.close();
await gateway.stop();
for (const p of ptys) await p.close();
await harness.stop();
rmSync(dir, { recursive: true, force: true });
process.exit(complete && inOrder ? 0 : 1);
