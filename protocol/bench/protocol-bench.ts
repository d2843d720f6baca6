// Throughput of the protocol code under Node: COSE_Mac0 create/verify (against Node's own
// HMAC as a baseline in the same process), and the rotating-id resolver at city scale
// (100,000 wearables). Prints figures; asserts nothing. Run: npm run bench -w @urgence/protocol
import { createHash, createHmac, randomBytes } from 'node:crypto';
import {
  MessageType,
  RotatingIdResolver,
  macStructure,
  mac0Create,
  mac0Decode,
  mac0Verify,
  encodeMessage,
  openMessage,
  rotatingId,
  sealMessage,
} from '@urgence/protocol';

const sha256 = (message: Uint8Array): Uint8Array =>
  new Uint8Array(createHash('sha256').update(message).digest());

// Wide enough for the longest label below, so every figure lines up in one column.
const LABEL_WIDTH = 48;

function label(text: string): string {
  if (text.length > LABEL_WIDTH) throw new Error(`bench label too long: ${text}`);
  return text.padEnd(LABEL_WIDTH);
}

function perSecond(name: string, iterations: number, run: () => void): number {
  for (let i = 0; i < Math.min(iterations, 2000); i++) run();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rate = iterations / seconds;
  console.log(`${label(name)} ${Math.round(rate).toLocaleString('en').padStart(10)} /s`);
  return rate;
}

function timed(name: string, run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(`${label(name)} ${ms.toFixed(0).padStart(10)} ms`);
  return ms;
}

const key = new Uint8Array(randomBytes(32));
const kid = new Uint8Array([0, 0, 0, 42]);
const payload = encodeMessage({ type: MessageType.Alarm, counter: 123456, battery: 80 });
const created = mac0Create(sha256, key, kid, payload);
const decoded = mac0Decode(created);
if (!decoded.ok) throw new Error(decoded.error.message);
const structure = macStructure(decoded.value.protectedBytes, payload, undefined);
const N = 100_000;

console.log(`protocol bench, Node ${process.version}, ${payload.length}-byte payload`);
const baseline = perSecond('baseline: node createHmac over MAC_structure', N, () => {
  createHmac('sha256', key).update(structure).digest();
});
const create = perSecond('mac0Create (our HMAC on node sha256)', N, () => {
  mac0Create(sha256, key, kid, payload);
});
const verify = perSecond('mac0Decode + mac0Verify', N, () => {
  const mac0 = mac0Decode(created);
  if (!mac0.ok || !mac0Verify(sha256, key, mac0.value)) throw new Error('verify failed');
});
const sealed = sealMessage(sha256, '0000002a', key, {
  type: MessageType.Alarm,
  counter: 1,
  battery: 80,
});
perSecond('openMessage (decode, key lookup, verify, parse)', N, () => {
  if (!openMessage(sha256, sealed, () => key).ok) throw new Error('open failed');
});
console.log(
  `ratios to baseline: create ${(create / baseline).toFixed(2)}, verify ${(verify / baseline).toFixed(2)}`,
);

const DEVICES = 100_000;
const keys: Uint8Array[] = [];
for (let i = 0; i < DEVICES; i++) keys.push(new Uint8Array(randomBytes(32)));
const window = 1995888;
const deviceIds = keys.map((_, i) => i.toString(16).padStart(8, '0'));
const nodeHmac = (k: Uint8Array, m: Uint8Array): Uint8Array =>
  new Uint8Array(createHmac('sha256', k).update(m).digest());
const portable = new RotatingIdResolver(sha256, window);
const portableMs = timed(
  `resolver build, ${DEVICES / 1000}k devices x 3, our HMAC`,
  () => {
    for (let i = 0; i < DEVICES; i++) portable.addDevice(deviceIds[i], keys[i]);
  },
);
const resolver = new RotatingIdResolver(sha256, window, nodeHmac);
const nativeMs = timed(`resolver build, same, node createHmac injected`, () => {
  for (let i = 0; i < DEVICES; i++) resolver.addDevice(deviceIds[i], keys[i]);
});
console.log(`ratio native/our build time: ${(nativeMs / portableMs).toFixed(2)}`);
console.log(`${label('ids indexed')} ${resolver.size.toLocaleString('en').padStart(10)}`);
timed('resolver advanceTo(next window)', () => resolver.advanceTo(window + 1));
const heard = keys.slice(0, 1000).map((k) => rotatingId(sha256, k, window + 1));
let index = 0;
perSecond('resolver.resolve (hit)', 1_000_000, () => {
  if (resolver.resolve(heard[index++ % heard.length]) === undefined)
    throw new Error('miss');
});
const rss = process.memoryUsage().rss / 1048576;
console.log(`${label('process RSS after resolver')} ${rss.toFixed(0).padStart(10)} MB`);
