// Latency to the lamps, on real firmware: 3 posts and 3 wearables running the built bundles
// in the simulator (the virtual rig: posts on socat ptys, wearables on the virtual radio),
// one real gateway and the real broker. The fleet benchmark's stand-in devices run no
// firmware, so its downlink figures stop at the ack frame; these go on to the LEDs.
// Run: npx tsx test-rigs/bench/lamps.ts [rounds]   (11 s a round; figures only;
// KEEP=1 keeps the data folder with the broker and gateway logs, and prints its path)
//
// Lamps are read from the simulated pins every 5 ms; the simulator's clock follows real
// time in 20 ms steps, so each figure carries up to ~25 ms of sampling.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Outputs } from '../src/drivers/device';
import { parseRig } from '../src/rig/rigFile';
import type { DispatchConsole, FeedIncident } from '../src/system/dispatchConsole';
import { openVirtualRig } from '../src/virtual/virtualRig';
import type { VirtualDevice } from '../src/virtual/virtualDevice';

const rounds = Number(process.argv[2] ?? 10);
const feedTimeoutMs = 20_000;

const rig = parseRig(
  {
    name: 'lamps-bench',
    driver: 'virtual',
    places: {
      'post-1': { kind: 'post', location: { lat: 48.8584, lon: 2.2945 } },
      'post-2': { kind: 'post', location: { lat: 48.8606, lon: 2.3376 } },
      'post-3': { kind: 'post', location: { lat: 48.853, lon: 2.3499 } },
      'wearable-1': { kind: 'wearable', policy: 'area' },
      'wearable-2': { kind: 'wearable', policy: 'area' },
      'wearable-3': { kind: 'wearable', policy: 'area' },
    },
  },
  'lamps benchmark',
);

const figures = {
  postIncident: [] as number[],
  postReceivedLamp: [] as number[],
  postHelpComingLamp: [] as number[],
  postCloseDark: [] as number[],
  wearableIncident: [] as number[],
  wearableAckFelt: [] as number[],
};

/** Resolves with the time at which the device's lamps first satisfy `shown`. */
function lampTime(
  device: VirtualDevice,
  shown: (outputs: Outputs) => boolean,
  what: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + feedTimeoutMs;
    const poll = async () => {
      if (shown(await device.outputs())) return resolve(Date.now());
      if (Date.now() > deadline)
        return reject(new Error(`${device.deviceId}: no ${what}`));
      setTimeout(() => void poll(), 5);
    };
    void poll();
  });
}

/**
 * Resolves with the start of the first stretch in which the lamps satisfy `shown` for
 * `steadyMs`: a blinking lamp's dark half is not yet "dark".
 */
function steadyLampTime(
  device: VirtualDevice,
  shown: (outputs: Outputs) => boolean,
  steadyMs: number,
  what: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + feedTimeoutMs;
    let since: number | undefined;
    const poll = async () => {
      const now = Date.now();
      if (!shown(await device.outputs())) since = undefined;
      else if ((since ??= now) <= now - steadyMs) return resolve(since);
      if (now > deadline) return reject(new Error(`${device.deviceId}: no ${what}`));
      setTimeout(() => void poll(), 5);
    };
    void poll();
  });
}

/** Resolves with the first incident of `device` not in `known`, and when it was seen. */
function nextIncident(
  dispatch: DispatchConsole,
  device: string,
): Promise<{ incident: FeedIncident; at: number }> {
  const known = new Set(dispatch.incidentsOf(device).map((incident) => incident.id));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      dispatch.off('incident', listener);
      reject(new Error(`${device}: no new incident within ${feedTimeoutMs} ms`));
    }, feedTimeoutMs);
    const listener = (incident: FeedIncident) => {
      if (incident.device !== device || known.has(incident.id)) return;
      clearTimeout(timer);
      dispatch.off('incident', listener);
      resolve({ incident, at: Date.now() });
    };
    dispatch.on('incident', listener);
  });
}

async function closed(dispatch: DispatchConsole, incident: string): Promise<void> {
  await dispatch.command('close', incident);
  await dispatch.waitFor(
    `${incident} closed`,
    () => (dispatch.incidents.get(incident)?.state === 'closed' ? true : undefined),
    feedTimeoutMs,
  );
}

async function postRound(post: VirtualDevice, dispatch: DispatchConsole): Promise<void> {
  await post.elapse(11_000); // past the 10 s repeat-ignore window, on the device's clock
  const incidentSeen = nextIncident(dispatch, post.deviceId);
  const pressedAt = Date.now();
  await post.hold(200);
  const { incident, at } = await incidentSeen;
  figures.postIncident.push(at - pressedAt);
  // "received" is the broker's answer to the incident opening, not to a dispatch command.
  const received = await lampTime(post, (o) => o.received === true, 'received lamp');
  figures.postReceivedLamp.push(received - pressedAt);

  const acknowledgedAt = Date.now();
  await dispatch.command('acknowledge', incident.id);
  // Help coming blinks the received lamp (500 ms on, 500 ms off) from the phase the lamp
  // ticker is in: its first dark half shows within 0-500 ms of the ack's arrival.
  const helpComing = await lampTime(post, (o) => o.received === false, 'help coming');
  figures.postHelpComingLamp.push(helpComing - acknowledgedAt);

  // The close goes out as the blink turns on, so the lamps go dark when it lands (an
  // answer slower than the 500 ms lit half would be measured short: none was).
  await lampTime(post, (o) => o.received === true, 'help coming lit half');
  const closedAt = Date.now();
  // Dark for longer than help coming's 500 ms dark half: the close has landed.
  const dark = steadyLampTime(
    post,
    (o) => !o.calling && !o.received && !o.strobe,
    800,
    'lamps dark after close',
  );
  await dispatch.command('close', incident.id);
  figures.postCloseDark.push((await dark) - closedAt);
}

async function wearableRound(
  wearable: VirtualDevice,
  dispatch: DispatchConsole,
): Promise<void> {
  // The gateway lets a sender through a few distinct frames per 10 s (edge-gateway's
  // dedup rateWindowMs): each wearable alarms at most once per 11 s of real time, as a
  // person would, or the bench would measure the rate limit instead of the path.
  const roundEnds = Date.now() + 11_000;
  await wearable.elapse(4000); // past the last round's 3 s green flash
  const incidentSeen = nextIncident(dispatch, wearable.deviceId);
  await wearable.press();
  await wearable.elapse(2100); // the 2 s hold
  await wearable.release();
  await wearable.elapse(5000); // the pre-alarm, skipped on the device's clock
  const alarmAt = Date.now();
  const felt = lampTime(wearable, (o) => o.green === true, 'ack felt (green)');
  const { incident, at } = await incidentSeen;
  figures.wearableIncident.push(at - alarmAt);
  // Any ack ends a wearable's alarm: the "received" ack, sent as the incident opens.
  figures.wearableAckFelt.push((await felt) - alarmAt);
  await closed(dispatch, incident.id);
  await new Promise((resolve) =>
    setTimeout(resolve, Math.max(0, roundEnds - Date.now())),
  );
}

function percentiles(values: number[]): string {
  if (values.length === 0) return 'n/a';
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  return `p50 ${at(50).toFixed(0).padStart(5)} ms  p99 ${at(99).toFixed(0).padStart(5)} ms  (${values.length})`;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'urgence-lamps-'));
  const virtual = await openVirtualRig(rig, {
    dataDir,
    postHeartbeatMs: 2000,
  });
  try {
    const { devices, system } = virtual;
    const posts = devices.filter((device) => device.place.kind === 'post');
    const wearables = devices.filter((device) => device.place.kind === 'wearable');
    console.log(
      `${posts.length} posts and ${wearables.length} wearables up; ${rounds} rounds`,
    );
    for (let round = 0; round < rounds; round++) {
      await Promise.all([
        ...posts.map((post) => postRound(post, system.dispatch)),
        ...wearables.map((wearable) => wearableRound(wearable, system.dispatch)),
      ]);
    }
    const line = (name: string, values: number[]) =>
      console.log(`${name.padEnd(54)} ${percentiles(values)}`);
    console.log('\nreal firmware bundles, to the lamps');
    line('post press → incident on the feed', figures.postIncident);
    line('post press → received lamp on', figures.postReceivedLamp);
    line('dispatch acknowledge → post help-coming blink', figures.postHelpComingLamp);
    line('dispatch close → post lamps dark', figures.postCloseDark);
    line('wearable alarm → incident on the feed', figures.wearableIncident);
    line('wearable alarm → ack felt (green on)', figures.wearableAckFelt);
  } finally {
    await virtual.close();
    if (process.env.KEEP === undefined) rmSync(dataDir, { recursive: true, force: true });
    else console.log(dataDir);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
