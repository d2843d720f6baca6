// What `npm start` says first: what runs, where, and how to use it.

import { join } from 'node:path';
import { dispatcherName, type System } from '../system/system';
import type { VirtualDevice } from '../virtual/virtualDevice';

export function startBanner(
  system: System,
  devices: VirtualDevice[],
  dataDir: string,
): string {
  const lines = [
    '',
    'urgence is running',
    `  broker    mqtt://127.0.0.1:${system.mqttPort}  (pid ${system.brokerService.pid}, Aedes + ingest + dispatch feed)`,
    `  gateway   ${system.gatewayId}  (pid ${system.gatewayService.pid}, serial links to the posts, virtual BLE radio)`,
    `  posts     ${named(devices, 'post')}`,
    `  wearables ${named(devices, 'wearable')}`,
    '            (firmware bundles in the Espruino simulator, provisioned with the CLI code)',
    `  data      ${dataDir}  (registry.sqlite, outbox/, devices/, logs/)`,
    '',
    startHelp(dataDir, system.mqttPort),
  ];
  return lines.join('\n');
}

function named(devices: VirtualDevice[], kind: 'post' | 'wearable'): string {
  return devices
    .filter((device) => device.place.kind === kind)
    .map((device) => `${device.place.name} ${device.deviceId}`)
    .join(', ');
}

export function startHelp(dataDir: string, mqttPort: number): string {
  const password = `"$(node -p "require('${join(dataDir, 'secrets.json')}').dispatcher")"`;
  const login = `-p ${mqttPort} -u dispatch:${dispatcherName} -P ${password}`;
  return [
    'lamps: ● on  ○ off  ◐ blinking; the words after → say what the person there sees',
    'keys',
    '  1 2 3   press the button of post 1, 2, 3',
    '  4 5 6   hold the button of wearable 1, 2, 3 (then its 5 s pre-alarm)',
    '  a d o c act as dispatch on the newest open incident:',
    '          acknowledge, dispatched (ETA 4 min), on scene, close',
    '  h       this help          q or Ctrl-C   stop (data is kept)',
    'in a second terminal',
    `  URGENCE_REGISTRY=${join(dataDir, 'registry.sqlite')} npx urgence status`,
    '  the dispatch feed, live:',
    `    npx mqtt sub ${login} -t 'urgence/v1/feed/changes'`,
    '  act as dispatch (the incident id is on the feed):',
    `    npx mqtt pub ${login} -t urgence/v1/dispatch/commands \\`,
    `      -m '{"command":"acknowledge","incident":"inc-000001"}'`,
    `  logs: tail -f ${join(dataDir, 'logs', 'gateway.log')} (and broker.log)`,
    '',
  ].join('\n');
}
