// `urgence monitor PORT`: the device's console as it runs, with serial link frames decoded
// into readable lines (--raw adds the bytes). It never sends anything: watching a post must
// not interrupt it. Stops on Ctrl-C, or after --count frames.

import type { Command } from 'commander';
import type { Registry } from '@urgence/broker';
import { openSerialLink } from '../console/serial-link';
import { describeFrame, type KeyLookup } from '../monitor/describe-frame';
import { StreamSplitter } from '../monitor/stream-splitter';
import { requireRegistryFile } from '../registry/open';
import {
  addExample,
  addJsonOption,
  parsePositiveInt,
  runAction,
  type JsonOption,
} from './common';

interface MonitorOptions extends JsonOption {
  baud: string;
  raw?: boolean;
  registry?: string;
  count?: string;
}

export function registerMonitor(program: Command): void {
  const command = program
    .command('monitor')
    .description('show the console and decoded link frames as they arrive (Ctrl-C stops)')
    .argument(
      '<port>',
      'serial port: the device console or a tap on the post-gateway line',
    )
    .option('--raw', 'also print the received bytes in hex')
    .option('--registry <file>', 'check frame tags with the device keys of this registry')
    .option('--count <frames>', 'stop after this many link frames')
    .option('--baud <rate>', 'port speed', '115200');
  addJsonOption(command);
  addExample(
    command,
    'urgence monitor /dev/ttyUSB0',
    'urgence monitor /dev/ttyUSB1 --raw --registry /srv/urgence/registry.sqlite',
  );
  command.action((port: string, options: MonitorOptions) =>
    runAction(options, () => monitor(port, options)),
  );
}

async function monitor(port: string, options: MonitorOptions): Promise<void> {
  const frameLimit =
    options.count === undefined ? Infinity : parsePositiveInt(options.count, '--count');
  if (options.registry !== undefined) requireRegistryFile(options.registry);
  const link = await openSerialLink(port, parsePositiveInt(options.baud, '--baud'));
  // Loaded only with --registry: @urgence/broker brings the broker server (~1 s to load).
  const registry =
    options.registry === undefined
      ? undefined
      : (await import('@urgence/broker')).openRegistry(options.registry);
  const keysFor: KeyLookup | undefined =
    registry === undefined ? undefined : (id) => validKeys(registry, id);
  const print = (event: Record<string, unknown>, text: string): void => {
    const at = new Date().toISOString();
    process.stdout.write(
      options.json === true
        ? JSON.stringify({ at, ...event }) + '\n'
        : `${at.slice(11, 23)} ${text}\n`,
    );
  };

  // First line: the port is open, so whatever the device sends from now on is shown.
  print({ listening: port }, `monitoring ${port} (Ctrl-C stops)`);
  const splitter = new StreamSplitter();
  let frames = 0;
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    link.onData((bytes) => {
      if (options.raw === true)
        print({ raw: bytes.toString('hex') }, 'raw     ' + hexDump(bytes));
      for (const piece of splitter.push(bytes)) {
        if (piece.type === 'line') {
          print({ console: piece.text }, 'console ' + piece.text);
          continue;
        }
        const described = describeFrame(piece.wire, keysFor);
        print(
          { frame: described, wire: Buffer.from(piece.wire).toString('hex') },
          'frame   ' + described,
        );
        if (++frames >= frameLimit) stop();
      }
    });
  });
  await link.close();
  registry?.close();
}

function validKeys(registry: Registry, id: string): Uint8Array[] | undefined {
  const keys = registry.validKeys(id);
  return keys.length === 0 ? undefined : keys;
}

function hexDump(bytes: Uint8Array): string {
  return Buffer.from(bytes)
    .toString('hex')
    .replace(/(..)(?!$)/g, '$1 ');
}
