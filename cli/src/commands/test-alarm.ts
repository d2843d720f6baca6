// `urgence test-alarm PORT`: raises a test alarm on the device (marked as a test all the
// way to CAP status Test) and waits until dispatch's acknowledgement shows on the device,
// printing each stage's time.

import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CliError, ExitCode } from '../exit-codes';
import type { Output } from '../output';
import { DispatchClient } from '../test-alarm/dispatch-client';
import { runTestAlarm } from '../test-alarm/run-test-alarm';
import {
  addDeviceOptions,
  addExample,
  parsePositiveInt,
  runAction,
  withDevice,
  type DeviceOptions,
} from './common';

interface TestAlarmOptions extends DeviceOptions {
  broker: string;
  dispatcher: string;
  ca?: string;
  within: string;
}

export function registerTestAlarm(program: Command): void {
  const command = program
    .command('test-alarm')
    .description('raise a test alarm and wait for the acknowledgement end to end')
    .argument('<port>', 'serial port of the device (see `urgence ports`)')
    .requiredOption(
      '--broker <url>',
      'broker URL, e.g. mqtts://broker.urgence.example:8883',
    )
    .requiredOption(
      '--dispatcher <name>',
      'dispatch account (password: $URGENCE_DISPATCH_PASSWORD)',
    )
    .option('--ca <file>', 'CA certificate of the broker, for mqtts://')
    .option('--within <seconds>', 'fail if not acknowledged end to end by then', '120');
  addDeviceOptions(command);
  addExample(
    command,
    'URGENCE_DISPATCH_PASSWORD=... urgence test-alarm /dev/ttyUSB0 ' +
      '--broker mqtts://broker.urgence.example:8883 --dispatcher technicians',
  );
  command.action((port: string, options: TestAlarmOptions) =>
    runAction(options, (output) => testAlarm(port, options, output)),
  );
}

async function testAlarm(port: string, options: TestAlarmOptions, output: Output) {
  const timeoutMs = parsePositiveInt(options.within, '--within') * 1000;
  const password = process.env['URGENCE_DISPATCH_PASSWORD'];
  if (password === undefined || password === '') {
    throw new CliError(
      ExitCode.Usage,
      'no dispatch password: set URGENCE_DISPATCH_PASSWORD',
      'it is kept out of the command line so it does not show in `ps` or shell history',
    );
  }
  const ca = options.ca === undefined ? undefined : await readFile(options.ca);
  const dispatch = await DispatchClient.connect(
    { url: options.broker, name: options.dispatcher, password, ca },
    10_000,
  );
  try {
    const result = await withDevice(port, options, (device) =>
      runTestAlarm(device, dispatch, {
        timeoutMs,
        onStage: (stage) =>
          output.say(`${String(stage.afterMs).padStart(7)} ms  ${stage.stage}`),
      }),
    );
    output.result({ port, ...result }, [
      `test alarm of ${result.device} acknowledged end to end (incident ${result.incident})`,
    ]);
  } finally {
    await dispatch.close();
  }
}
