// `npm start`: the whole alarm path on this machine with embedded defaults — the broker with
// its SQLite registry, one gateway, and a virtual fleet (3 posts, 3 wearables running the
// real firmware bundles) — and the dispatch feed live in the terminal, with keys to press
// buttons and to act as dispatch. Data stays in ./.data (or --data) between starts.

import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { DispatchCommand, FeedIncident } from './system/dispatchConsole';
import { PortTakenError } from './system/system';
import { Display } from './start/display';
import { startFleet } from './start/fleet';
import { followLog } from './start/logTail';
import { OutputsWatch } from './start/outputsWatch';
import { openVirtualRig } from './virtual/virtualRig';
import { startHelp, startBanner } from './start/banner';

const { values } = parseArgs({
  options: { port: { type: 'string' }, data: { type: 'string' } },
  allowPositionals: false,
});
const port = Number(values.port ?? process.env.URGENCE_MQTT_PORT ?? 1883);
const dataDir = resolve(values.data ?? process.env.URGENCE_DATA ?? '.data');

function portTaken(): never {
  console.error(
    `MQTT port ${port} is taken (another broker, or another npm start?).\n` +
      `Choose another: npm start -- --port ${port + 1}   ` +
      `(or URGENCE_MQTT_PORT=${port + 1} npm start)`,
  );
  process.exit(1);
}

/** Checked before anything starts, so the message comes first and nothing is left behind. */
async function checkPortFree(): Promise<void> {
  await new Promise<void>((done) => {
    const probe = createServer();
    probe.once('error', () => portTaken());
    probe.listen(port, '127.0.0.1', () => probe.close(() => done()));
  });
}

// Ctrl-C is ours from the first line: a signal that came before its handler would end
// the process at once, leaving the broker, the gateway and the posts' socat ptys running
// (the next start then finds its port taken) and the devices' flash unsaved. During
// start-up it stops the start at its next step; once running, `stop` below takes over.
const startUp = new AbortController();
let stopRunning: (() => Promise<void>) | undefined;
const onStopSignal = () => {
  if (stopRunning !== undefined) return void stopRunning();
  if (startUp.signal.aborted) return;
  console.log('urgence: stopping after the current start-up step');
  startUp.abort();
};
process.on('SIGINT', onStopSignal);
process.on('SIGTERM', onStopSignal);

function stoppedDuringStartUp(): never {
  console.log(
    `stopped during start-up. Data kept in ${dataDir}; npm start resumes from it.`,
  );
  process.exit(0);
}

async function main(): Promise<void> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`--port: expected a port number 1-65535, got ${values.port}`);
    process.exit(2);
  }
  await checkPortFree();
  const firstStart = !existsSync(join(dataDir, 'registry.sqlite'));
  console.log(
    firstStart
      ? `urgence: first start in ${dataDir} (builds and provisions the devices: ~20 s)`
      : `urgence: starting again from ${dataDir} (keys, counters, incidents kept)`,
  );
  const rig = await openVirtualRig(startFleet, {
    dataDir,
    mqttPort: port,
    persistDevices: true,
    say: (line) => console.log(`  · ${line}`),
    signal: startUp.signal,
  }).catch((error: unknown) => {
    // A stop asked for during start-up may also fail a step (a child that got the
    // terminal's Ctrl-C too): either way the rig closed what it had started.
    if (startUp.signal.aborted) stoppedDuringStartUp();
    if (error instanceof PortTakenError) portTaken();
    throw error;
  });
  const { system, devices } = rig;
  const dispatch = system.dispatch;
  const watch = new OutputsWatch(devices);
  const open = () =>
    [...dispatch.incidents.values()].filter(
      (i) => !['closed', 'false-alarm'].includes(i.state),
    );
  const display = new Display(process.stdout, devices, watch, open);
  watch.start();
  const stopTail = followLog(join(dataDir, 'logs', 'gateway.log'), (line) => {
    if (line.includes('"ack sent to post"')) {
      const device = /"device":"([0-9a-f]{8})"/.exec(line)?.[1] ?? '?';
      display.event(`ACK ↓     post ${device} over its serial link`);
    }
  });
  system.gatewayService.onMessage((message) => {
    if (message.type === 'ack')
      display.event('ACK ↓     wearable ack advertised over BLE');
  });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    display.event('stopping: devices saved, gateway and broker shut down');
    stopTail();
    watch.stop();
    display.stop();
    await rig.close();
    console.log(`stopped. Data kept in ${dataDir}; npm start resumes from it.`);
    process.exit(0);
  };
  stopRunning = stop;
  if (startUp.signal.aborted) return stop();

  display.print(startBanner(system, devices, dataDir));
  display.start();

  // Incidents still open from a previous run came with the feed's retained state, before
  // anyone listened: said once here, so a restart shows what it kept.
  for (const incident of open()) {
    display.event(`INCIDENT  ${incidentLine(incident)}  (open since the last run)`);
  }
  dispatch.on('incident', (incident) => {
    display.event(`INCIDENT  ${incidentLine(incident)}`);
  });
  dispatch.on('fault', (fault) => {
    display.event(
      `FAULT     ${fault.kind} ${fault.state} device ${fault.device ?? '-'} gateway ${fault.gateway ?? '-'}`,
    );
  });
  const act = (key: string) =>
    void onKey(key).catch((error: Error) => display.event(`! ${error.message}`));
  const onKey = async (key: string) => {
    if (key === '\u0003' || key === 'q') return stop();
    if (key === 'h' || key === '?')
      return display.print(startHelp(dataDir, system.mqttPort));
    const digit = Number(key);
    if (digit >= 1 && digit <= 6) return pressDevice(digit);
    const command = (
      { a: 'acknowledge', d: 'dispatched', o: 'on-scene', c: 'close' } as const
    )[key as 'a' | 'd' | 'o' | 'c'];
    if (command !== undefined) return commandNewest(command);
  };

  const pressDevice = async (digit: number) => {
    const kind = digit <= 3 ? 'post' : 'wearable';
    const device = devices.filter((d) => d.place.kind === kind)[(digit - 1) % 3];
    if (device === undefined) return;
    if (kind === 'post') {
      display.event(`PRESS     ${device.place.name} ${device.deviceId}`);
      await device.hold(200);
    } else {
      // A 2.1 s hold on the wearable's own clock, then its 5 s pre-alarm runs in real time.
      display.event(`HOLD      ${device.place.name} ${device.deviceId} (pre-alarm 5 s)`);
      await device.hold(2100);
    }
  };

  const commandNewest = async (command: DispatchCommand) => {
    const incident = open().sort((a, b) => b.id.localeCompare(a.id))[0];
    if (incident === undefined) return display.event('no open incident to act on');
    display.event(`DISPATCH  ${command} ${incident.id}`);
    await dispatch.command(
      command,
      incident.id,
      command === 'dispatched' ? 240 : undefined,
    );
  };

  if (process.stdin.isTTY) process.stdin.setRawMode(true);
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (text: string) => {
    for (const key of text) if (key.trim() !== '') act(key);
    if (text.includes('\u0003')) act('\u0003');
  });
}

function incidentLine(incident: FeedIncident): string {
  const pressed = Date.parse(incident.times.pressed ?? '');
  const age = Number.isNaN(pressed)
    ? ''
    : `  ${Math.round((Date.now() - pressed) / 1000)} s after the press`;
  return `${incident.id} ${incident.state} ${incident.deviceKind} ${incident.device}${age}`;
}

main().catch((error: unknown) => {
  console.error(`urgence: could not start: ${(error as Error).message ?? error}`);
  process.exit(1);
});
