// Which radio the rig's gateway uses, and the gateway dependencies that realise it:
// - virtual: adverts from the rig's virtual wearables arrive over IPC through noble's
//   bindings seam, and acks leave over IPC through the AckAdvertiser seam;
// - real: nothing is injected, so startGateway opens noble and bleno on the host's HCI
//   adapter (a bench with wearables);
// - none: no radio at all (a bench of posts only, which needs no BLE adapter).

import { FakeNobleBindings } from '@urgence/edge-gateway';
import type { AckAdvertiser, GatewayConfig, GatewayDeps } from '@urgence/edge-gateway';

export type RadioKind = 'virtual' | 'real' | 'none';
const kinds: RadioKind[] = ['virtual', 'real', 'none'];

/** The gateway's command-line flag for a radio kind (read back by radioFromArgs). */
export const radioFlag = (radio: RadioKind) => `--radio=${radio}`;

/** The radio named on the command line; virtual when none is named. */
export function radioFromArgs(args: string[]): RadioKind {
  const flag = args.find((arg) => arg.startsWith('--radio='));
  if (flag === undefined) return 'virtual';
  const kind = flag.slice('--radio='.length);
  if (!kinds.includes(kind as RadioKind)) {
    throw new TypeError(`${flag}: the radio is one of ${kinds.join(', ')}`);
  }
  return kind as RadioKind;
}

/** The rig's side of the IPC channel: acks go up to it, adverts come down from it. */
export interface RadioIpc {
  send(message: Record<string, unknown>): void;
  onAdvert(listener: (address: string, data: Buffer, rssi: number) => void): void;
}

export function radioDeps(
  radio: RadioKind,
  config: GatewayConfig,
  ipc: RadioIpc,
): GatewayDeps {
  // The config decides whether startGateway opens the host's radio: a mismatch would leave
  // a bench gateway deaf (or a CI gateway reaching for an adapter it does not have).
  const wantsHostRadio = radio === 'real';
  if (config.ble.enabled !== wantsHostRadio) {
    throw new Error(
      `gateway config has ble.enabled ${config.ble.enabled} but the radio is ${radio}`,
    );
  }
  if (radio !== 'virtual') return {};
  // The gateway's own virtual radio, so the rig drives the same noble seam its tests do.
  const bleBindings = new FakeNobleBindings();
  ipc.onAdvert((address, data, rssi) => bleBindings.advertise(address, data, rssi));
  const ackAdvertiser: AckAdvertiser = {
    async advertise(manufacturerData: Buffer, durationMs: number): Promise<void> {
      ipc.send({ type: 'ack', data: manufacturerData.toString('hex'), durationMs });
    },
    async stop(): Promise<void> {
      ipc.send({ type: 'ack-stop' });
    },
  };
  return { bleBindings, ackAdvertiser };
}
