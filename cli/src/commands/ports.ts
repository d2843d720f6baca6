// `urgence ports`: the serial ports of this machine, the likeliest device first.

import type { Command } from 'commander';
import { listPorts } from '../ports/list';
import { rankPorts, type RankedPort } from '../ports/score';
import { addExample, addJsonOption, runAction, type JsonOption } from './common';

const scoreWords = ['unknown', 'usb device', 'usb-serial', 'device'];

export function registerPorts(program: Command): void {
  const command = program
    .command('ports')
    .description('list serial ports, the one most likely to be a post or wearable first');
  addJsonOption(command);
  addExample(command, 'urgence ports', 'urgence ports --json | jq -r ".ports[0].path"');
  command.action((options: JsonOption) =>
    runAction(options, async (output) => {
      const ports = rankPorts(await listPorts());
      output.result(
        { ports },
        ports.length === 0 ? ['no serial ports found'] : table(ports),
      );
    }),
  );
}

function table(ports: RankedPort[]): string[] {
  return ports.map((port) =>
    [
      port.path.padEnd(22),
      (scoreWords[port.score] ?? '').padEnd(11),
      port.vendorId === undefined
        ? '         '
        : `${port.vendorId}:${port.productId ?? '????'}`,
      port.description,
      port.kind === undefined ? '' : `(usually a ${port.kind})`,
      port.serialNumber === undefined ? '' : `serial ${port.serialNumber}`,
    ]
      .join('  ')
      .trimEnd(),
  );
}
