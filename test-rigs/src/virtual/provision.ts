// Provisioning a virtual device exactly as a technician provisions a real one: the CLI's
// own provisionDevice (the flow `urgence provision` runs) on a pty to the simulator's
// console REPL — key made here, registered, config written and CRC-checked, firmware
// restarted and asked who it is.

import { provisionDevice } from '@urgence/cli';
import type { SimulatorModule } from './firmware';
import type { VirtualDevice } from './virtualDevice';

export interface ProvisionOptions {
  registryPath: string;
  /** Timing overrides written into urgence.json (CONTRACTS.md "Firmware config"). */
  timings?: Record<string, number>;
}

export async function provisionVirtual(
  device: VirtualDevice,
  simulator: SimulatorModule,
  options: ProvisionOptions,
): Promise<void> {
  const { place, deviceId } = device;
  const repl = new simulator.SimConsole(device.sim);
  const pty = await simulator.attachPty(simulator.consoleEndpoint(repl));
  try {
    const provisioned = await provisionDevice({
      id: deviceId,
      kind: place.kind,
      location: place.location,
      policy: place.policy,
      registry: options.registryPath,
      port: pty.path,
      // A rig re-provisions its places at every run, as a technician replacing a device.
      replace: true,
      // The simulated device shares two cores with the broker and gateway: be patient.
      device: { timeout: '5000' },
      settings: options.timings,
    });
    if (provisioned.firmware === undefined) {
      throw new Error(`${place.name} runs no urgence firmware after provisioning`);
    }
  } finally {
    await pty.close();
  }
}
