// `urgence rotate-key ID` and `urgence decommission ID`: the key's life after provisioning.
// Both first check that the device on the port really is ID, so a technician with the
// wrong cable in hand cannot re-key or wipe the post next door.

import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import {
  readConfigIdentity,
  restartAndWait,
  wipeConfig,
  writeConfig,
} from '../console/device';
import type { EspruinoConsole } from '../console/espruino-console';
import { CliError, ExitCode } from '../exit-codes';
import type { Output } from '../output';
import { registryPath, requireActiveDevice, withRegistry } from '../registry/open';
import {
  addDeviceOptions,
  addExample,
  resolvePort,
  runAction,
  withDevice,
  type DeviceOptions,
} from './common';
import { keyFingerprint } from '../provision/provision-device';
import { parseDeviceId } from './validate';

interface LifecycleOptions extends DeviceOptions {
  registry?: string;
  port?: string;
  showKey?: boolean;
  deviceGone?: boolean;
}

export function registerLifecycle(program: Command): void {
  const rotate = program
    .command('rotate-key')
    .description(
      'new key on the device and in the registry; the old key keeps working a while',
    )
    .argument('<id>', 'device id (8 hex digits)')
    .option('--registry <file>', 'registry file (default $URGENCE_REGISTRY)')
    .option(
      '--port <port>',
      'serial port (default: the one device `urgence ports` finds)',
    )
    .option('--show-key', 'print the new key (secret: lab benches only)');
  addDeviceOptions(rotate);
  addExample(rotate, 'urgence rotate-key 0000002a --port /dev/ttyUSB0');
  rotate.action((id: string, options: LifecycleOptions) =>
    runAction(options, (output) => rotateKey(id, options, output)),
  );

  const decommission = program
    .command('decommission')
    .description("wipe the device's key and config, retire it in the registry")
    .argument('<id>', 'device id (8 hex digits)')
    .option('--registry <file>', 'registry file (default $URGENCE_REGISTRY)')
    .option(
      '--port <port>',
      'serial port (default: the one device `urgence ports` finds)',
    )
    .option(
      '--device-gone',
      'the device is lost or destroyed: only retire it in the registry',
    );
  addDeviceOptions(decommission);
  addExample(decommission, 'urgence decommission 0000002a --port /dev/ttyUSB0');
  decommission.action((id: string, options: LifecycleOptions) =>
    runAction(options, (output) => decommissionDevice(id, options, output)),
  );
}

async function requireSameDevice(device: EspruinoConsole, id: string): Promise<void> {
  const identity = await readConfigIdentity(device);
  if (identity?.id !== id) {
    throw new CliError(
      ExitCode.VerifyFailed,
      `the device on this port is ${identity?.id ?? 'not provisioned'}, not ${id}`,
      'check the id on the label and the cable; nothing was changed',
    );
  }
}

async function rotateKey(idText: string, options: LifecycleOptions, output: Output) {
  const id = parseDeviceId(idText);
  const registryFile = registryPath(options.registry);
  const port = await resolvePort(options.port);
  const kind = await withRegistry(registryFile, (r) => requireActiveDevice(r, id).kind);

  const result = await withDevice(port, options, async (device) => {
    await requireSameDevice(device, id);
    const overrides = await readOverrides(device);
    const key = randomBytes(32);
    // Registry first: from now both keys verify (grace period), so whatever key the device
    // signs with while we rewrite it, its alarms are accepted.
    const record = await withRegistry(registryFile, (r) => r.rotateKey(id, key));
    await writeConfig(device, { ...overrides, id, kind, key: key.toString('hex') }).catch(
      (error: unknown) => {
        throw rotatedButNotWritten(error, id, record.previousKey?.expiresAt);
      },
    );
    const info = await restartIfFirmware(device);
    return { key, graceUntil: record.previousKey?.expiresAt, firmware: info };
  });

  const graceUntil =
    result.graceUntil === undefined ? null : new Date(result.graceUntil).toISOString();
  const document: Record<string, unknown> = {
    id,
    port,
    keyFingerprint: keyFingerprint(result.key),
    previousKeyValidUntil: graceUntil,
  };
  if (options.showKey === true) document['key'] = result.key.toString('hex');
  output.result(document, [
    `new key on ${id} (fingerprint ${document['keyFingerprint']}); ` +
      `the old key is accepted until ${graceUntil ?? 'now'}`,
    ...(options.showKey === true ? [`key ${result.key.toString('hex')}`] : []),
  ]);
}

async function decommissionDevice(
  idText: string,
  options: LifecycleOptions,
  output: Output,
) {
  const id = parseDeviceId(idText);
  const registryFile = registryPath(options.registry);
  await withRegistry(registryFile, (r) => requireActiveDevice(r, id));

  let port: string | null = null;
  if (options.deviceGone !== true) {
    port = await resolvePort(options.port);
    await withDevice(port, options, async (device) => {
      await requireSameDevice(device, id);
      await wipeConfig(device);
      // The running firmware still holds the key in RAM: restart it without a config.
      await device.send('load()');
      await device.wake();
    });
  }
  // Retire last: until the device is wiped, it must stay able to raise alarms.
  await withRegistry(registryFile, (r) => r.retireDevice(id));
  output.result({ id, port, wiped: port !== null, retired: true }, [
    port === null
      ? `retired ${id} in the registry (device not touched: --device-gone)`
      : `wiped the key and config of ${id} on ${port} and retired it in the registry`,
  ]);
}

/** The config minus its key, so timing overrides survive a key rotation. */
async function readOverrides(device: EspruinoConsole): Promise<Record<string, unknown>> {
  const { value } = await device.evaluate(
    '(function(c){if(c)delete c.key;return c})(require("Storage").readJSON("urgence.json",true))',
  );
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)
    : {};
}

async function restartIfFirmware(device: EspruinoConsole): Promise<string | undefined> {
  const { value } = await device.evaluate('typeof urgence!=="undefined"');
  return value === true ? (await restartAndWait(device)).version : undefined;
}

function rotatedButNotWritten(
  error: unknown,
  id: string,
  graceUntil: number | undefined,
) {
  if (!(error instanceof CliError)) return error;
  const until = graceUntil === undefined ? 'soon' : new Date(graceUntil).toISOString();
  return new CliError(
    error.exitCode,
    `${error.message}; the registry has the new key but the device still has the old one, ` +
      `which stops working at ${until}`,
    `fix the connection and run \`urgence rotate-key ${id}\` again before then`,
    error.details,
  );
}
