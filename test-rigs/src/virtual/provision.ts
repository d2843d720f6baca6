// Provisioning a virtual device exactly as a technician provisions a real one, with the
// CLI's own code: a key made here, the device registered in the broker's registry, and
// the config written into the device's Storage over its console (a pty to the simulator's
// REPL), checked by CRC, then the firmware restarted and asked who it is.

import { randomBytes } from 'node:crypto';
import { openRegistry } from '@urgence/broker';
import {
  EspruinoConsole,
  openSerialLink,
  restartAndWait,
  writeConfig,
} from '@urgence/cli';
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
  const link = await openSerialLink(pty.path);
  const console = new EspruinoConsole(link, { replyTimeoutMs: 5000 });
  try {
    await console.wake();
    // As `urgence provision`: the key is made on this machine (never on the device).
    const key = randomBytes(32);
    const registry = openRegistry(options.registryPath);
    try {
      registry.addDevice(
        {
          id: deviceId,
          kind: place.kind,
          key,
          ...(place.location === undefined ? {} : { location: place.location }),
          ...(place.policy === undefined ? {} : { policy: place.policy }),
        },
        { replace: true },
      );
    } finally {
      registry.close();
    }
    lendAtob(device);
    await writeConfig(console, {
      id: deviceId,
      kind: place.kind,
      key: key.toString('hex'),
      ...options.timings,
    });
    const info = await restartAndWait(console);
    if (info.id !== deviceId) {
      throw new Error(
        `${place.name} answers as ${info.id ?? 'nobody'} after provisioning`,
      );
    }
  } finally {
    await console.close().catch(() => undefined);
    await pty.close();
  }
}

/**
 * Espruino has atob() (the CLI's upload uses it); the simulator lacks it so far. Until it
 * has one, the rig lends a plain decoder for this boot; with a simulator that has atob
 * this does nothing.
 */
function lendAtob(device: VirtualDevice): void {
  device.sim.evaluate(
    'if(typeof atob==="undefined"){this.atob=function(s){' +
      'var k="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",o="",b=0,n=0;' +
      'for(var i=0;i<s.length;i++){var v=k.indexOf(s[i]);if(v<0)continue;' +
      'b=(b<<6)|v;n+=6;if(n>=8){n-=8;o+=String.fromCharCode((b>>n)&255);}}return o;};}',
  );
}
