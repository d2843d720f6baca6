// The broker set-ups the throughput benchmark compares, seen from the load side: how to
// start each broker process, how a gateway and a dispatcher log in, how to make the i-th
// uplink, and which feed message answers it. Add a set-up here and in broker-process.ts.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { IClientOptions } from 'mqtt';
import { FEED_ROOT } from '@urgence/broker';
import { serialAlarmUplink } from '../src/test/alarm-uplink';
import {
  DISPATCHER,
  GATEWAY,
  RELAY_TOPIC,
  UPLINK,
  benchPost,
  benchPostIndex,
} from './shared';
import type { SetupName } from './shared';

export interface RunningPipeline {
  url: string;
  gateway: IClientOptions;
  dispatcher: IClientOptions;
  uplinkTopic: string;
  feedFilter: string;
  makeUplink(index: number): Buffer;
  /** The uplink index a feed message answers, or undefined for other feed traffic. */
  indexOf(topic: string, payload: Buffer): number | undefined;
  /** CPU time the broker process has used so far, in microseconds. */
  brokerCpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

export interface Pipeline {
  name: string;
  start(messages: number): Promise<RunningPipeline>;
}

const brokerProcess = fileURLToPath(new URL('./broker-process.ts', import.meta.url));

/**
 * URGENCE_BENCH_PROFILE=<folder> runs each broker process under `node --cpu-prof`, its
 * profile written there on exit: NODE_OPTIONS refuses --cpu-prof.
 */
function profileArgs(): string[] {
  const folder = process.env.URGENCE_BENCH_PROFILE;
  return folder === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${folder}`];
}

async function spawnBroker(setup: SetupName, posts: number) {
  const child: ChildProcess = spawn(
    process.execPath,
    [...profileArgs(), '--import', 'tsx', brokerProcess, setup, String(posts)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines: Interface = createInterface({
    input: child.stdout as NodeJS.ReadableStream,
  });
  const nextLine = async () => JSON.parse(((await once(lines, 'line')) as [string])[0]);
  const { port } = (await nextLine()) as { port: number };
  return {
    port,
    cpuMicros: async () => {
      child.stdin?.write('cpu\n');
      return ((await nextLine()) as { cpuMicros: number }).cpuMicros;
    },
    stop: async () => {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** 64-byte uplinks (DESIGN.md's reference size) carrying their index. */
function indexedPayload(index: number): Buffer {
  const payload = Buffer.alloc(64);
  payload.writeUInt32BE(index, 0);
  return payload;
}

const relayIndex = (topic: string, payload: Buffer) =>
  topic === RELAY_TOPIC && payload.length === 64 ? payload.readUInt32BE(0) : undefined;

const loggedIn = {
  gateway: {
    clientId: `gw:${GATEWAY.id}`,
    username: GATEWAY.id,
    password: GATEWAY.secret,
  },
  dispatcher: {
    clientId: 'dispatch-bench',
    username: `dispatch:${DISPATCHER.name}`,
    password: DISPATCHER.secret,
  },
};
const anonymous = {
  gateway: { clientId: `gw:${GATEWAY.id}` },
  dispatcher: { clientId: 'dispatch-bench' },
};

function relayPipeline(name: string, setup: SetupName): Pipeline {
  return {
    name,
    async start() {
      const broker = await spawnBroker(setup, 0);
      return {
        url: `mqtt://127.0.0.1:${broker.port}`,
        ...(setup === 'bare' ? anonymous : loggedIn),
        uplinkTopic: UPLINK,
        feedFilter: `${FEED_ROOT}#`,
        makeUplink: indexedPayload,
        indexOf: relayIndex,
        brokerCpuMicros: broker.cpuMicros,
        stop: broker.stop,
      };
    },
  };
}

/** Aedes as it comes, its `published` hook relaying each uplink to the feed. */
export const bareAedes = relayPipeline('bare Aedes (relay hook)', 'bare');

/** startBroker(): logins, ACL and packet limit, with onUplink relaying to the feed. */
export const securedRelay = relayPipeline(
  'auth + ACL + packet limit (relay hook)',
  'secured',
);

/**
 * startBroker() with the real ingest (broker/src/ingest): one provisioned post per
 * message, each sending one sealed alarm, recognised by its incident's retained JSON.
 */
export const securedIngest: Pipeline = {
  name: 'auth + ACL + packet limit + ingest',
  async start(messages) {
    const broker = await spawnBroker('ingest', messages);
    return {
      url: `mqtt://127.0.0.1:${broker.port}`,
      ...loggedIn,
      uplinkTopic: UPLINK,
      feedFilter: `${FEED_ROOT}incidents/+`,
      makeUplink: (index) => {
        const post = benchPost(index);
        return serialAlarmUplink(post.id, post.key, 1, index + 1);
      },
      indexOf: (_topic, payload) => {
        const incident = JSON.parse(payload.toString()) as { device?: string };
        return incident.device === undefined
          ? undefined
          : benchPostIndex(incident.device);
      },
      brokerCpuMicros: broker.cpuMicros,
      stop: broker.stop,
    };
  },
};
