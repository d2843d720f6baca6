// `urgence provision`: gives a device its identity. The options are read here; the flow
// itself (key made on this machine, registered, written into the device's Storage and
// read back by CRC, firmware restarted) is provisionDevice, which the test rigs share.

import type { Command } from 'commander';
import type { Output } from '../output';
import { keyFingerprint, provisionDevice } from '../provision/provision-device';
import { registryPath } from '../registry/open';
import {
  addDeviceOptions,
  addExample,
  resolvePort,
  runAction,
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
  createRegistry?: boolean;
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
    .option('--create-registry', 'start a new, empty registry if the file does not exist')
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

async function provision(options: ProvisionOptions, output: Output): Promise<void> {
  const id = parseDeviceId(options.id);
  const kind = parseKind(options.kind);
  const location =
    options.location === undefined ? undefined : parseLocation(options.location);
  const policy = options.policy === undefined ? undefined : parsePolicy(options.policy);
  const registryFile = registryPath(options.registry);
  const port = await resolvePort(options.port);

  const summary = await provisionDevice({
    id,
    kind,
    location,
    policy,
    registry: registryFile,
    port,
    replace: options.replace,
    createRegistry: options.createRegistry,
    device: { baud: options.baud, timeout: options.timeout },
    say: (line) => output.say(line),
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
