// The `urgence` command tree. Each command lives in commands/ and registers itself here.

import { Command } from 'commander';
import { addExample } from './commands/common';
import { registerDiagnose } from './commands/diagnose';
import { registerFlash } from './commands/flash';
import { registerGateway } from './commands/gateway';
import { registerLifecycle } from './commands/lifecycle';
import { registerMonitor } from './commands/monitor';
import { registerPorts } from './commands/ports';
import { registerProvision } from './commands/provision';
import { registerStatus } from './commands/status';
import { registerTestAlarm } from './commands/test-alarm';
import { ExitCode } from './exit-codes';

const exitCodeHelp = `
Exit codes:
  ${ExitCode.Ok}  done and verified
  ${ExitCode.Usage}  bad arguments or options (nothing was touched)
  ${ExitCode.DeviceSilent}  the device did not answer on its console
  ${ExitCode.VerifyFailed}  verification failed (checksum, id or version differs)
  ${ExitCode.Registry}  registry refused (id in use, unknown or retired id, missing file)
  ${ExitCode.PortUnavailable}  the serial port could not be opened
  ${ExitCode.ChecksFailed}  diagnose: at least one check failed
  ${ExitCode.BrokerUnreachable}  test-alarm: broker unreachable or login refused
  ${ExitCode.NotAcknowledged}  test-alarm: no end-to-end acknowledgement in time
  ${ExitCode.Internal}  internal error (a bug: please report it)`;

export function buildProgram(): Command {
  const program = new Command('urgence')
    .description('install, check and maintain urgence call posts, wearables and gateways')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', exitCodeHelp);
  // A post's installation in order (README.md walks through it); details: COMMAND --help.
  addExample(
    program,
    'urgence ports',
    'urgence provision --kind post --id 0000002a --port /dev/ttyUSB0',
    'urgence flash /dev/ttyUSB0 --kind post',
    'urgence diagnose /dev/ttyUSB0',
    'urgence test-alarm /dev/ttyUSB0 --broker mqtts://broker.urgence.example:8883 ' +
      '--dispatcher technicians',
  );

  registerPorts(program);
  registerProvision(program);
  registerFlash(program);
  registerMonitor(program);
  registerDiagnose(program);
  registerTestAlarm(program);
  registerLifecycle(program);
  registerGateway(program);
  registerStatus(program);
  return program;
}
