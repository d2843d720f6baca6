// What every command shares: its --json and device options, running an action so failures
// become exit codes, finding the port, and opening the device's console.

import type { Command } from 'commander';
import { EspruinoConsole } from '../console/espruino-console';
import { defaultBaudRate, openSerialLink } from '../console/serial-link';
import { CliError, ExitCode } from '../exit-codes';
import { createOutput, reportFailure, type Output } from '../output';
import { listPorts } from '../ports/list';
import { pickPort, rankPorts } from '../ports/score';

export interface JsonOption {
  json?: boolean;
}

export interface DeviceOptions extends JsonOption {
  baud: string;
  timeout: string;
}

export function addJsonOption(command: Command): Command {
  return command.option('--json', 'print one JSON document on stdout (for scripts)');
}

export function addDeviceOptions(command: Command): Command {
  return addJsonOption(command)
    .option('--baud <rate>', 'console speed of the device', String(defaultBaudRate))
    .option(
      '--timeout <ms>',
      'how long the device may take to answer one request',
      '3000',
    );
}

export function addExample(command: Command, ...examples: string[]): Command {
  return command.addHelpText(
    'after',
    '\nExample' +
      (examples.length > 1 ? 's' : '') +
      ':\n' +
      examples.map((example) => '  $ ' + example).join('\n'),
  );
}

/**
 * Runs a command body; a failure is printed (human or JSON) and becomes the exit code.
 * Sets process.exitCode rather than exiting, so open ports and files close cleanly.
 */
export async function runAction(
  options: JsonOption,
  body: (output: Output) => Promise<void>,
): Promise<void> {
  const json = options.json === true;
  try {
    await body(createOutput(json));
  } catch (error) {
    process.exitCode = reportFailure(error, json);
  }
}

export function parsePositiveInt(text: string, option: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    throw new CliError(
      ExitCode.Usage,
      `${option} must be a positive whole number, got "${text}"`,
    );
  }
  return value;
}

/** The port the technician named, else the single port that looks like a device. */
export async function resolvePort(port: string | undefined): Promise<string> {
  if (port !== undefined) return port;
  const ranked = rankPorts(await listPorts());
  const picked = pickPort(ranked);
  if (picked === undefined) {
    throw new CliError(
      ExitCode.Usage,
      ranked.length === 0
        ? 'no serial port found and none was given'
        : 'several serial ports could be the device; name one',
      'run `urgence ports` and pass the right one with --port',
    );
  }
  return picked.path;
}

/** Opens the port, interrupts the running program and checks the console answers. */
export async function connectDevice(
  port: string,
  options: DeviceOptions,
): Promise<EspruinoConsole> {
  const link = await openSerialLink(port, parsePositiveInt(options.baud, '--baud'));
  const device = new EspruinoConsole(link, {
    replyTimeoutMs: parsePositiveInt(options.timeout, '--timeout'),
  });
  try {
    await device.wake();
  } catch (error) {
    await device.close();
    throw error;
  }
  return device;
}

/** Opens the device, runs `body`, and always closes the port. */
export async function withDevice<T>(
  port: string,
  options: DeviceOptions,
  body: (device: EspruinoConsole) => Promise<T>,
): Promise<T> {
  const device = await connectDevice(port, options);
  try {
    return await body(device);
  } finally {
    await device.close();
  }
}
