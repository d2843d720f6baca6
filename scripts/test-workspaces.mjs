#!/usr/bin/env node
// Runs every workspace's `test` script in turn and closes with one line that CI can read:
// "tests: N passed, N failed". A workspace whose runner fails without counting (a crash,
// a syntax error) counts as one failure, so a broken package can never look green.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const root = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
);
// Escape sequences colour uvu's summary; they are stripped before counting.
// eslint-disable-next-line no-control-regex
const ansi = /\x1b\[[0-9;]*m/g;

function runWorkspace(folder) {
  return new Promise((resolve) => {
    const child = spawn('npm', ['test', '--if-present', '-w', folder], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      output += chunk.toString('utf8');
    });
    child.on('close', (code) =>
      resolve({ code: code ?? 1, output: output.replace(ansi, '') }),
    );
  });
}

function sum(output, label) {
  let total = 0;
  for (const match of output.matchAll(new RegExp(`^\\s*${label}:\\s+(\\d+)`, 'gm'))) {
    total += Number(match[1]);
  }
  return total;
}

let passed = 0;
let failed = 0;
const broken = [];
for (const folder of root.workspaces) {
  const started = Date.now();
  const result = await runWorkspace(folder);
  const ran = sum(result.output, 'Total');
  const ok = sum(result.output, 'Passed');
  passed += ok;
  failed += ran - ok;
  if (result.code !== 0) {
    broken.push(folder);
    if (ran === ok) failed += 1;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`[${folder}] ${ok}/${ran} passed in ${seconds} s, exit ${result.code}`);
}

if (broken.length > 0) console.log(`failing workspaces: ${broken.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(broken.length > 0 || failed > 0 ? 1 : 0);
