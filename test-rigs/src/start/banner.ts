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
    '  devices   ' + devices.map((d) => `${d.place.name} ${d.deviceId}`).join(', '),
    '            (firmware bundles in the Espruino simulator, provisioned with the CLI code)',
    `  data      ${dataDir}  (registry.sqlite, outbox/, devices/, logs/)`,
    '',
    startHelp(dataDir),
  ];
  return lines.join('\n');
}

export function startHelp(dataDir: string): string {
  return [
    'keys',
    '  1 2 3   press the button of post 1, 2, 3',
    '  4 5 6   hold the button of wearable 1, 2, 3 (then its 5 s pre-alarm)',
    '  a d o c act as dispatch on the newest open incident:',
    '          acknowledge, dispatched (ETA 4 min), on scene, close',
    '  h       this help          q or Ctrl-C   stop (data is kept)',
    'in a second terminal',
    `  URGENCE_REGISTRY=${join(dataDir, 'registry.sqlite')} npx urgence status`,
    `  dispatch feed over MQTT: user dispatch:${dispatcherName}, password in ${join(dataDir, 'secrets.json')}`,
    `  logs: tail -f ${join(dataDir, 'logs', 'gateway.log')} (and broker.log)`,
    '',
  ].join('\n');
}
