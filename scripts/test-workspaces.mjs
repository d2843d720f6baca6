#!/usr/bin/env node
// Runs every workspace's `test` script in turn and closes with one line that CI can read:
// "tests: N passed, N failed". A workspace whose runner fails without counting (a crash,
// a syntax error) counts as one failure, so a broken package can never look green.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const root = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
);
// uvu sets the exit code and waits for the event loop to drain: a test that leaks a socket
// or a child keeps its workspace alive after the summary. Past this grace the workspace's
// process group is killed and judged by its summary, with a warning naming it, so a leak
// can never hang CI for its 90 minutes. A workspace still running past the hard limit
// without a summary is killed and counted as failed.
const graceAfterSummaryMs = 30_000;
const hardLimitMs = 15 * 60_000;
// Escape sequences colour uvu's summary; they are stripped before counting.
// eslint-disable-next-line no-control-regex
const ansi = /\x1b\[[0-9;]*m/g;

function runWorkspace(folder) {
  return new Promise((resolve) => {
    const child = spawn('npm', ['test', '--if-present', '-w', folder], {
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true, // its own process group, so a kill reaches uvu and its children
    });
    let output = '';
    let killedBy;
    const killGroup = (reason) => {
      killedBy = reason;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const hardLimit = setTimeout(() => killGroup('hard-limit'), hardLimitMs);
    let grace;
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      output += chunk.toString('utf8');
      if (grace === undefined && /Duration:/.test(output)) {
        grace = setTimeout(() => killGroup('leak'), graceAfterSummaryMs);
      }
    });
    child.on('close', (code) => {
      clearTimeout(hardLimit);
      clearTimeout(grace);
      const plain = output.replace(ansi, '');
      if (killedBy === 'leak') {
        console.log(
          `warning: [${folder}] did not exit ${graceAfterSummaryMs / 1000} s after its ` +
            'summary (a test leaks a handle); killed, judged by its summary',
        );
        const failedInSummary = sum(plain, 'Total') !== sum(plain, 'Passed');
        resolve({ code: failedInSummary ? 1 : 0, output: plain });
        return;
      }
      if (killedBy === 'hard-limit') {
        console.log(`error: [${folder}] still running after ${hardLimitMs / 60_000} min`);
      }
      resolve({ code: code ?? 1, output: plain });
    });
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
