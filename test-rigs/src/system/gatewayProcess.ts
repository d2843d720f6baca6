// The gateway as a child process of a rig: the real edge-gateway with its real serial code
// on the posts' ports, and the radio the rig asks for (gatewayRadio.ts): virtual wearables
// over IPC, the host's BLE adapter on a bench, or none.
// Usage (by ChildService): gatewayProcess.ts <gateway-config.json> [--radio=virtual|real|none]

import { loadConfig, startGateway } from '@urgence/edge-gateway';
import { tellParent } from './childService';
import { radioDeps, radioFromArgs } from './gatewayRadio';

interface AdvertMessage {
  type: string;
  address: string;
  data: string;
  rssi: number;
}

async function main(): Promise<void> {
  const configPath = process.argv[2];
  if (configPath === undefined) {
    throw new Error('usage: gatewayProcess.ts <config.json> [--radio=virtual|real|none]');
  }
  const config = loadConfig(configPath);
  const deps = radioDeps(radioFromArgs(process.argv.slice(3)), config, {
    send: tellParent,
    onAdvert: (listener) =>
      process.on('message', (message: AdvertMessage) => {
        if (message.type !== 'advert') return;
        listener(message.address, Buffer.from(message.data, 'hex'), message.rssi);
      }),
  });
  const gateway = await startGateway(config, deps);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    gateway.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
  tellParent({ type: 'ready', pid: process.pid });
}

main().catch((error: unknown) => {
  tellParent({ type: 'failed', reason: String((error as Error)?.stack ?? error) });
  console.error(error);
  process.exit(1);
});
