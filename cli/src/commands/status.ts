// `urgence status`: the fleet's health from the registry file: silent devices, open
// faults, low batteries. It reports; it does not fail on problems (exit 0).

import type { Command } from 'commander';
import type { Output } from '../output';
import { fleetHealth, type FleetHealth } from '../registry/fleet-health';
import { registryPath, withRegistry } from '../registry/open';
import { addExample, addJsonOption, runAction, type JsonOption } from './common';

interface StatusOptions extends JsonOption {
  registry?: string;
  all?: boolean;
}

export function registerStatus(program: Command): void {
  const command = program
    .command('status')
    .description('fleet health: silent devices, open faults, low batteries')
    .option('--registry <file>', 'registry file (default $URGENCE_REGISTRY)')
    .option('--all', 'list healthy devices too');
  addJsonOption(command);
  addExample(command, 'urgence status --registry /srv/urgence/registry.sqlite');
  command.action((options: StatusOptions) =>
    runAction(options, (output) => status(options, output)),
  );
}

async function status(options: StatusOptions, output: Output): Promise<void> {
  const health = await withRegistry(registryPath(options.registry), (r) =>
    fleetHealth(r),
  );
  output.result({ ...health }, humanReport(health, options.all === true));
}

function humanReport(health: FleetHealth, all: boolean): string[] {
  const troubled = health.devices.filter((device) => device.problems.length > 0);
  const lines = [
    `${health.devices.length} devices, ${health.gateways} gateways, ` +
      `${troubled.length} devices need attention, ${health.openFaults.length} open faults`,
  ];
  if (!health.ingestData) {
    lines.push('no last-seen data in this file: the broker has not run on it yet');
  }
  for (const device of all ? health.devices : troubled) {
    const seen =
      device.lastSeen === null ? 'never' : new Date(device.lastSeen).toISOString();
    lines.push(
      `${device.id} ${device.kind.padEnd(8)} ${(device.problems.join(', ') || 'ok').padEnd(30)}` +
        ` last seen ${seen}` +
        (device.label === null ? '' : `  ${device.label}`),
    );
  }
  for (const fault of health.openFaults) {
    const subject = fault.deviceId ?? fault.gatewayId ?? '-';
    lines.push(
      `fault ${fault.kind} on ${subject} since ${new Date(fault.openedAt).toISOString()}` +
        (fault.detail === null ? '' : ` (${fault.detail})`),
    );
  }
  return lines;
}
