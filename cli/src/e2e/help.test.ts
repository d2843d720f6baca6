// Every command's --help, as the binary prints it, ends with at least one example a
// technician can copy: the top-level program, the groups and each subcommand.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Command } from 'commander';
import { buildProgram } from '../program';
import { runCli } from '../test-support/run-cli';

/** Each command's words after `urgence`: [] for the program, ['gateway', 'add'], … */
function commandPaths(command: Command, path: string[] = []): string[][] {
  return [
    path,
    ...command.commands.flatMap((sub) => commandPaths(sub, [...path, sub.name()])),
  ];
}

const paths = commandPaths(buildProgram());

test('the command tree is the one the README lists', () => {
  const names = paths.filter((path) => path.length === 1).map((path) => path[0]);
  assert.equal(names.sort(), [
    'decommission',
    'diagnose',
    'flash',
    'gateway',
    'monitor',
    'ports',
    'provision',
    'rotate-key',
    'status',
    'test-alarm',
  ]);
});

for (const path of paths) {
  const shown = ['urgence', ...path].join(' ');
  test(`\`${shown} --help\` exits 0 and shows an example of itself`, async () => {
    const help = await runCli([...path, '--help']);
    assert.is(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Examples?:$/m);
    const examples = help.stdout.split(/^Examples?:$/m)[1] ?? '';
    // An example may set an environment variable first (the dispatch password).
    assert.match(examples, new RegExp(`^  \\$ ([A-Z_]+=\\S+ )*${shown}( |$)`, 'm'));
  });
}

test.run();
