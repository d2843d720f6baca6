// `urgence provision`: gives a device its identity. The key is made here, on the
// technician's machine (DESIGN.md: Espruino's ESP32 build seeds its random numbers with a
// fixed seed), registered, then written into the device's Storage and read back by CRC.

import { createHash, randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { readInfo, restartAndWait, writeConfig } from '../console/device';
import type { EspruinoConsole } from '../console/espruino-console';
import { CliError, ExitCode } from '../exit-codes';
import type { Output } from '../output';
import { registryPath, withRegistry } from '../registry/open';
import {
  addDeviceOptions,
  addExample,
  resolvePort,
  runAction,
  withDevice,
  type DeviceOptions,
} from './common';
import { parseDeviceId, parseKind, parseLocation, parsePolicy } from './validate';

interface ProvisionOptions extends DeviceOptions {
  kind: string;
  id: string;
  location?: string;
  policy?: string;
  registry?: string;
  port?: string;
  replace?: boolean;
  showKey?: boolean;
}

export function registerProvision(program: Command): void {
  const command = program
    .command('provision')
    .description('make a key, register the device, write id and key into its storage')
    .requiredOption('--kind <kind>', 'post or wearable')
    .requiredOption('--id <id>', 'device id: 8 lowercase hex digits (label in the door)')
    .option('--location <lat,lon[,label]>', 'where the device is installed')
    .option('--policy <policy>', 'location shown to dispatch: precise, area or none')
    .option('--registry <file>', 'registry file (default $URGENCE_REGISTRY)')
    .option(
      '--port <port>',
      'serial port (default: the one device `urgence ports` finds)',
    )
    .option('--replace', 'take over an id already registered (the old key stops working)')
    .option('--show-key', 'print the new key (it is secret: only for lab benches)');
  addDeviceOptions(command);
  addExample(
    command,
    'urgence provision --kind post --id 0000002a --location 48.8566,2.3522,"Rue de Rivoli 12"',
  );
  command.action((options: ProvisionOptions) =>
    runAction(options, (output) => provision(options, output)),
  );
}

export function keyFingerprint(key: Uint8Array): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

async function provision(options: ProvisionOptions, output: Output): Promise<void> {
  const id = parseDeviceId(options.id);
  const kind = parseKind(options.kind);
  const location =
    options.location === undefined ? undefined : parseLocation(options.location);
  const policy = options.policy === undefined ? undefined : parsePolicy(options.policy);
  const registryFile = registryPath(options.registry);
  const port = await resolvePort(options.port);

  // Refuse a taken id before touching anything; the registry checks again when adding.
  await withRegistry(registryFile, (registry) => {
    if (registry.getDevice(id) !== undefined && options.replace !== true) {
      throw new CliError(
        ExitCode.Registry,
        `device id ${id} is already in use in ${registryFile}`,
        'check the label; pass --replace only if this device really takes over the id',
      );
    }
  });

  const summary = await withDevice(port, options, async (device) => {
    // The device answered: only now take the id, so a silent device registers nothing.
    const key = randomBytes(32);
    await withRegistry(registryFile, (registry) =>
      registry.addDevice(
        { id, kind, key, location, policy },
        { replace: options.replace },
      ),
    );
    output.say(`registered ${kind} ${id}; writing its config on ${port}`);
    await writeConfig(device, { id, kind, key: key.toString('hex') }).catch((error) => {
      throw registeredButNotWritten(error, id, kind);
    });
    return { key, firmware: await confirmIdentity(device, id) };
  });

  const document: Record<string, unknown> = {
    id,
    kind,
    port,
    registry: registryFile,
    keyFingerprint: keyFingerprint(summary.key),
    firmware: summary.firmware ?? null,
  };
  if (options.showKey === true) document['key'] = summary.key.toString('hex');
  output.result(document, [
    `provisioned ${kind} ${id} on ${port} (key fingerprint ${document['keyFingerprint']})`,
    summary.firmware === undefined
      ? 'no firmware on the device yet: next, `urgence flash ' +
        port +
        ' --kind ' +
        kind +
        '`'
      : `firmware ${summary.firmware} restarted and answers as ${id}`,
    ...(options.showKey === true ? [`key ${summary.key.toString('hex')}`] : []),
  ]);
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
