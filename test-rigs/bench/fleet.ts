// End-to-end fleet benchmark: 200 posts on 10 serial buses (socat ptys) and 1,000 wearable
// identities on the virtual radio, all with real keys and real frames, heartbeating at the
// real rate sped up 30x, through one real gateway and the real broker (child processes).
// Alarms are fired through it; prints latencies and each process's CPU and memory.
// The devices are stand-ins that run no firmware (generators.ts), so the downlink figures
// end at the ack frame (on the post's link, or advertised for the wearable), not at a
// lamp; bench/lamps.ts measures on to the LEDs with real bundles on a small fleet.
// Run: npx tsx test-rigs/bench/fleet.ts   (about 90 s; figures only, nothing asserted)

import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRegistry } from '@urgence/broker';
import { AckStage, decodeWearableAck, rotatingId, windowOf } from '@urgence/protocol';
import { openPtyPair, type PtyPair } from '../src/serial/ptyPair';
import { System } from '../src/system/system';
import { identities, PostBus, sha256, wearableAdvert, type Identity } from './generators';

const posts = identities('f0', 200);
const wearables = identities('f1', 1000);
const buses = 10;
const speedUp = 30;
const postHeartbeatMs = 60_000 / speedUp; // 2 s: 100 heartbeats/s for 200 posts
const wearableSupervisionMs = (12 * 3600_000) / speedUp; // 24 min: ~0.7 bursts/s
const alarms = 50; // of each kind
const alarmEveryMs = 400;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(values: number[], p: number): string {
  if (values.length === 0) return 'n/a';
  const sorted = [...values].sort((a, b) => a - b);
  const at = Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length));
  return `${sorted[at]!.toFixed(0)} ms`;
}

/** CPU seconds (user + system) and resident memory of a process, from /proc. */
function processUse(pid: number | undefined): { cpu: number; rssMb: number } {
  if (pid === undefined) return { cpu: 0, rssMb: 0 };
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]); // utime, stime (fields 14, 15)
  const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return { cpu: ticks / 100, rssMb: Number(rss ?? 0) / 1024 };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'urgence-fleet-'));
  const pairs: PtyPair[] = [];
  for (let i = 0; i < buses; i++) pairs.push(await openPtyPair());
  const pressAt = new Map<string, number>();
  const commandAt = new Map<string, number>();
  const pressToIncident = { post: [] as number[], wearable: [] as number[] };
  const commandToDevice = { post: [] as number[], wearable: [] as number[] };
  const byRotatingId = new Map<string, Identity>();

  const system = new System({
    dataDir,
    mqttPort: 0,
    serialPorts: pairs.map((pair) => pair.a),
    postHeartbeatMs,
    logLevel: 'warn',
    onAck: (data) => {
      // The wearable ack is addressed by the wearable's rotating id (protocol/); only the
      // "help coming" stage answers the dispatch command (a "received" ack goes out first).
      for (const [id, wearable] of byRotatingId) {
        if (!data.includes(Buffer.from(id, 'hex'))) continue;
        const frame = new Uint8Array(data.subarray(2));
        const ack = decodeWearableAck(
          sha256,
          wearable.key,
          windowOf(Date.now() / 1000),
          frame,
        );
        const sent = commandAt.get(wearable.id);
        if (
          !ack.ok ||
          ack.value.message.stage !== AckStage.HelpComing ||
          sent === undefined
        ) {
          continue;
        }
        commandToDevice.wearable.push(Date.now() - sent);
        commandAt.delete(wearable.id);
      }
    },
  });
  system.prepareRegistry();
  const registry = openRegistry(system.registryPath);
  for (const post of posts)
    registry.addDevice({
      id: post.id,
      kind: 'post',
      key: post.key,
      location: { lat: 48.85, lon: 2.35 },
    });
  for (const w of wearables)
    registry.addDevice({ id: w.id, kind: 'wearable', key: w.key, policy: 'area' });
  registry.close();
  await system.start();

  const postBuses = await Promise.all(
    pairs.map((pair, i) =>
      PostBus.open(pair.b, posts.slice(i * 20, i * 20 + 20), (downlink) => {
        const sent = commandAt.get(downlink.device);
        if (sent === undefined || downlink.stage !== AckStage.HelpComing) return;
        commandToDevice.post.push(downlink.at - sent);
        commandAt.delete(downlink.device);
      }),
    ),
  );
  const busOf = (post: Identity) => postBuses[Math.floor(posts.indexOf(post) / 20)]!;
  const dispatch = system.dispatch;
  dispatch.on('incident', (incident) => {
    const pressed = pressAt.get(incident.device);
    if (pressed === undefined || incident.state !== 'new') return;
    pressAt.delete(incident.device);
    pressToIncident[incident.deviceKind].push(Date.now() - pressed);
    commandAt.set(incident.device, Date.now());
    void dispatch.command('dispatched', incident.id, 240);
  });

  // Background load for the whole run: post heartbeats and wearable supervision bursts.
  let postTurn = 0;
  let wearableTurn = 0;
  const heartbeats = setInterval(() => {
    const post = posts[postTurn++ % posts.length]!;
    busOf(post).send(post, 'heartbeat');
  }, postHeartbeatMs / posts.length);
  const supervision = setInterval(() => {
    const wearable = wearables[wearableTurn++ % wearables.length]!;
    const advert = wearableAdvert(wearable, 'heartbeat', wearable.counter++);
    for (let i = 0; i < 3; i++)
      setTimeout(() => system.hear(advert.address, advert.data, -70), i * 500);
  }, wearableSupervisionMs / wearables.length);

  const before = {
    broker: processUse(system.brokerService.pid),
    gateway: processUse(system.gatewayService.pid),
    bench: process.cpuUsage(),
    at: Date.now(),
  };
  console.log(
    `fleet up: ${posts.length} posts on ${buses} buses, ${wearables.length} wearables; firing alarms`,
  );

  const window = windowOf(Date.now() / 1000);
  for (let i = 0; i < alarms; i++) {
    const post = posts[(i * 7) % posts.length]!;
    pressAt.set(post.id, Date.now());
    busOf(post).send(post, 'alarm');
    await sleep(alarmEveryMs / 2);

    const wearable = wearables[(i * 13) % wearables.length]!;
    byRotatingId.set(
      Buffer.from(rotatingId(sha256, wearable.key, window)).toString('hex'),
      wearable,
    );
    const counter = wearable.counter++;
    pressAt.set(wearable.id, Date.now());
    const advert = wearableAdvert(wearable, 'alarm', counter);
    // Fast advertising (100 ms) until the incident is on the feed, at most 10 s.
    const repeat = setInterval(() => system.hear(advert.address, advert.data, -60), 100);
    system.hear(advert.address, advert.data, -60);
    setTimeout(() => clearInterval(repeat), 10_000);
    await sleep(alarmEveryMs / 2);
  }
  await sleep(10_000);
  clearInterval(heartbeats);
  clearInterval(supervision);

  const seconds = (Date.now() - before.at) / 1000;
  const after = {
    broker: processUse(system.brokerService.pid),
    gateway: processUse(system.gatewayService.pid),
    bench: process.cpuUsage(before.bench),
  };
  const line = (name: string, values: number[], of: number) => {
    const p50 = percentile(values, 50).padStart(7);
    const p99 = percentile(values, 99).padStart(7);
    console.log(`${name.padEnd(46)} p50 ${p50}  p99 ${p99}  (${values.length}/${of})`);
  };
  console.log(
    `\nend-to-end over ${seconds.toFixed(0)} s, heartbeats ${speedUp}x the real rate`,
  );
  const sent = postBuses.reduce((sum, bus) => sum + bus.sent, 0);
  const delivered = postBuses.reduce((sum, bus) => sum + bus.delivered, 0);
  console.log(
    `post messages sent ${sent}, link-acked by the gateway after fsync ${delivered}`,
  );
  line('post press → incident on the feed', pressToIncident.post, alarms);
  line('wearable alarm advert → incident on the feed', pressToIncident.wearable, alarms);
  line('dispatch command → ack frame on the post link', commandToDevice.post, alarms);
  line('dispatch command → ack frame advertised', commandToDevice.wearable, alarms);
  const cpu = (a: { cpu: number }, b: { cpu: number }) =>
    (((b.cpu - a.cpu) / seconds) * 100).toFixed(0);
  console.log(
    `broker   CPU ${cpu(before.broker, after.broker)}%  RSS ${after.broker.rssMb.toFixed(0)} MB`,
  );
  console.log(
    `gateway  CPU ${cpu(before.gateway, after.gateway)}%  RSS ${after.gateway.rssMb.toFixed(0)} MB`,
  );
  const benchCpu = ((after.bench.user + after.bench.system) / 1e6 / seconds) * 100;
  const benchRssMb = process.memoryUsage().rss / 1048576;
  console.log(
    `devices + dispatch (this process)  CPU ${benchCpu.toFixed(0)}%  RSS ${benchRssMb.toFixed(0)} MB`,
  );

  await Promise.all(postBuses.map((bus) => bus.close()));
  await system.stop();
  await Promise.all(pairs.map((pair) => pair.close()));
  rmSync(dataDir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
