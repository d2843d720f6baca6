// `urgence diagnose PORT`: asks the firmware for its state and prints pass/fail lines, big
// enough to read on a laptop in the sun: exit 0 when all pass, 6 when one fails.

import type { Command } from 'commander';
import { readInfo } from '../console/device';
import { CliError, ExitCode } from '../exit-codes';
import type { Output } from '../output';
import {
  addDeviceOptions,
  addExample,
  runAction,
  withDevice,
  type DeviceOptions,
} from './common';
import { diagnoseChecks } from './diagnose-checks';

export function registerDiagnose(program: Command): void {
  const command = program
    .command('diagnose')
    .description('battery, mains, tamper, storage, link, faults: a pass/fail summary')
    .argument('<port>', 'serial port of the device (see `urgence ports`)');
  addDeviceOptions(command);
  addExample(command, 'urgence diagnose /dev/ttyUSB0');
  command.action((port: string, options: DeviceOptions) =>
    runAction(options, (output) => diagnose(port, options, output)),
  );
}

async function diagnose(
  port: string,
  options: DeviceOptions,
  output: Output,
): Promise<void> {
  const info = await withDevice(port, options, (device) => readInfo(device));
  const checks = diagnoseChecks(info);
  const failed = checks.filter((check) => !check.pass);

  const lines = checks.map(
    (check) => `${check.pass ? 'PASS' : 'FAIL'}  ${check.name.padEnd(9)} ${check.detail}`,
  );
  lines.push(
    failed.length === 0
      ? `ALL ${checks.length} CHECKS PASSED`
      : `${failed.length} OF ${checks.length} CHECKS FAILED: ` +
          failed.map((check) => check.name).join(', '),
  );
  if (failed.length === 0) {
    output.result({ port, pass: true, checks, info }, lines);
    return;
  }
  if (!output.json) for (const line of lines) process.stdout.write(line + '\n');
  throw new CliError(
    ExitCode.ChecksFailed,
    `${failed.length} check(s) failed on ${port}`,
    'fix what FAIL lines name, then run `urgence diagnose` again',
    { port, pass: false, checks, info },
  );
}
