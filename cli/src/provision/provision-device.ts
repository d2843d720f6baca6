// The provisioning flow `urgence provision` runs, as one function the test rigs call too:
// refuse a taken id, open the device, make the key here, register it, write the config
// into the device's Storage (checked by CRC), restart the firmware and check its identity.

import { createHash, randomBytes } from 'node:crypto';
import { readInfo, restartAndWait, writeConfig } from '../console/device';
import type { EspruinoConsole } from '../console/espruino-console';
import { CliError, ExitCode } from '../exit-codes';
import { withRegistry } from '../registry/open';
import { withDevice, type DeviceOptions } from '../commands/common';
import { defaultBaudRate } from '../console/serial-link';

export interface ProvisionRequest {
  id: string;
  kind: 'post' | 'wearable';
  location?: { lat: number; lon: number; label?: string };
  policy?: 'precise' | 'area' | 'none';
  /** The registry file (the broker's SQLite registry). */
  registry: string;
  /** Serial port of the device's console. */
  port: string;
  /** Make an empty registry file if there is none (refused otherwise: a mistyped path). */
  createRegistry?: boolean;
  /** Take over an id already registered (the old key stops working). */
  replace?: boolean;
  /** Console speed and per-request timeout, as the command's --baud and --timeout. */
  device?: Partial<Pick<DeviceOptions, 'baud' | 'timeout'>>;
  /**
   * Extra urgence.json fields (timing overrides, CONTRACTS.md "Firmware config"); the
   * command writes none, a rig writes its shortened heartbeat here.
   */
  settings?: Record<string, number>;
  /** Progress lines (the command prints them; a rig may log them). */
  say?: (line: string) => void;
}

export interface Provisioned {
  key: Buffer;
  /** The firmware version that answered with the new id; undefined on a bare Espruino. */
  firmware?: string;
}

export async function provisionDevice(request: ProvisionRequest): Promise<Provisioned> {
  const { id, kind, registry, port } = request;

  // Refuse a taken id before touching anything; the registry checks again when adding.
  await withRegistry(
    registry,
    (open) => {
      if (open.getDevice(id) !== undefined && request.replace !== true) {
        throw new CliError(
          ExitCode.Registry,
          `device id ${id} is already in use in ${registry}`,
          'check the label; pass --replace only if this device really takes over the id',
        );
      }
    },
    { create: request.createRegistry },
  );

  const deviceOptions = {
    baud: request.device?.baud ?? String(defaultBaudRate),
    timeout: request.device?.timeout ?? '3000',
  };
  return withDevice(port, deviceOptions, async (device) => {
    // The device answered: only now take the id, so a silent device registers nothing.
    // The key is made here (DESIGN.md: the ESP32 build seeds its random numbers with a
    // fixed seed, so a key made on the device could be guessed).
    const key = randomBytes(32);
    await withRegistry(registry, (open) =>
      open.addDevice(
        { id, kind, key, location: request.location, policy: request.policy },
        { replace: request.replace },
      ),
    );
    request.say?.(`registered ${kind} ${id}; writing its config on ${port}`);
    const config = { ...request.settings, id, kind, key: key.toString('hex') };
    await writeConfig(device, config).catch((error) => {
      throw registeredButNotWritten(error, id, kind);
    });
    return { key, firmware: await confirmIdentity(device, id) };
  });
}

export function keyFingerprint(key: Uint8Array): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * With firmware on board, restart it so it loads the new config and check it answers with
 * the new id. A bare Espruino (provisioned before flashing) has nothing to restart.
 */
async function confirmIdentity(device: EspruinoConsole, id: string) {
  const { value: hasFirmware } = await device.evaluate('typeof urgence!=="undefined"');
  if (hasFirmware !== true) return undefined;
  await readInfo(device);
  const info = await restartAndWait(device);
  if (info.id !== id) {
    throw new CliError(
      ExitCode.VerifyFailed,
      `after restarting, the firmware answers as ${info.id ?? 'no id'}, not ${id}`,
      'the config was written and verified; power-cycle the device and run `urgence diagnose`',
    );
  }
  return info.version;
}

function registeredButNotWritten(error: unknown, id: string, kind: string): unknown {
  if (!(error instanceof CliError)) return error;
  return new CliError(
    error.exitCode,
    `${error.message}; ${id} IS registered but the device does not hold its key`,
    `fix the connection, then run \`urgence provision --kind ${kind} --id ${id} --replace\``,
    error.details,
  );
}
