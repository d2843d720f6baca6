// The gateway as a child process of a rig: the real edge-gateway with its real serial code
// on the posts' ptys, and a radio reached over IPC: adverts from the rig arrive through
// noble's bindings seam, acks leave through the AckAdvertiser seam.
// Usage (by ChildService): gatewayProcess.ts <gateway-config.json> [--real-radio]
// (--real-radio: a bench, where the host's own BLE adapter is the radio).

import { EventEmitter } from 'node:events';
import { loadConfig, startGateway, type AckAdvertiser } from '@urgence/edge-gateway';
import { tellParent } from './childService';

/** Noble bindings (the events and methods noble's Noble class drives) fed over IPC. */
class IpcNobleBindings extends EventEmitter {
  start(): void {
    setImmediate(() => this.emit('stateChange', 'poweredOn'));
  }
  stop(): void {}
  reset(): void {}
  setScanParameters(): void {}
  startScanning(_uuids: string[], allowDuplicates: boolean): void {
    setImmediate(() => this.emit('scanStart', !allowDuplicates));
  }
  stopScanning(): void {
    setImmediate(() => this.emit('scanStop'));
  }
  addressToId(address: string): string {
    return address.replace(/:/g, '').toLowerCase();
  }

  /** One advert heard over the air (manufacturer data includes the company id). */
  heard(address: string, manufacturerData: Buffer, rssi: number): void {
    const advertisement = {
      localName: undefined,
      txPowerLevel: undefined,
      manufacturerData,
      serviceData: [],
      serviceUuids: [],
      solicitationServiceUuids: [],
      serviceSolicitationUuids: [],
    };
    const id = this.addressToId(address);
    this.emit('discover', id, address, 'random', false, advertisement, rssi, false);
  }
}

async function main(): Promise<void> {
  const configPath = process.argv[2];
  if (configPath === undefined) throw new Error('usage: gatewayProcess.ts <config.json>');
  const bindings = new IpcNobleBindings();
  const ackAdvertiser: AckAdvertiser = {
    async advertise(manufacturerData: Buffer, durationMs: number): Promise<void> {
      tellParent({ type: 'ack', data: manufacturerData.toString('hex'), durationMs });
    },
    async stop(): Promise<void> {
      tellParent({ type: 'ack-stop' });
    },
  };
  process.on(
    'message',
    (message: { type: string; address: string; data: string; rssi: number }) => {
      if (message.type === 'advert') {
        bindings.heard(message.address, Buffer.from(message.data, 'hex'), message.rssi);
      }
    },
  );

  const config = loadConfig(configPath);
  const gateway = await startGateway(config, {
    bleBindings: bindings,
    ackAdvertiser,
  });
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
