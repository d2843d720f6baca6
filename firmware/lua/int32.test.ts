// shim/int32.lua gives JavaScript's results for every bitwise operator, including the
// values where 64-bit Lua and 32-bit JavaScript part ways (bit 31, negatives, floats).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { luaShimDir } from './compile';
import { nativeLuaAvailable, runLua, type Interpreter } from './run-lua';

const operands = [
  0,
  1,
  -1,
  255,
  0x7fffffff,
  0x80000000,
  0xffffffff,
  -0x80000000,
  4294967296 + 5,
  3.7,
  -3.7,
];
const shifts = [0, 1, 4, 8, 24, 31, 32, 33];

const operators: [string, (a: number, b: number) => number][] = [
  ['band', (a, b) => a & b],
  ['bor', (a, b) => a | b],
  ['bxor', (a, b) => a ^ b],
];
const shiftOperators: [string, (a: number, b: number) => number][] = [
  ['shl', (a, n) => a << n],
  ['sar', (a, n) => a >> n],
  ['shr', (a, n) => a >>> n],
];

function cases(): { call: string; expected: number }[] {
  const all: { call: string; expected: number }[] = [];
  for (const a of operands) {
    all.push({ call: `__js_bnot(${a})`, expected: ~a });
    for (const [name, op] of operators) {
      for (const b of operands)
        all.push({ call: `__js_${name}(${a}, ${b})`, expected: op(a, b) });
    }
    for (const [name, op] of shiftOperators) {
      for (const n of shifts)
        all.push({ call: `__js_${name}(${a}, ${n})`, expected: op(a, n) });
    }
  }
  return all;
}

function runCases(
  interpreter: Interpreter,
): { call: string; expected: number; got: string }[] {
  const all = cases();
  const dir = mkdtempSync(join(tmpdir(), 'urgence-int32-'));
  try {
    const script = join(dir, 'int32-cases.lua');
    const lines = all.map((each) => `print(string.format("%.0f", ${each.call}))`);
    writeFileSync(
      script,
      `package.path = arg[1] .. "?.lua;" .. package.path\nrequire("int32")\n${lines.join('\n')}\n`,
    );
    const output = runLua(interpreter, script, [luaShimDir]);
    return all.map((each, i) => ({ ...each, got: output[i]! }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const mismatches = (interpreter: Interpreter): string[] =>
  runCases(interpreter)
    .filter((each) => each.got !== each.expected.toFixed(0))
    .map((each) => `${each.call} = ${each.got}, JavaScript says ${each.expected}`);

if (nativeLuaAvailable()) {
  test('lua5.3: every bitwise helper matches JavaScript', () => {
    assert.equal(mismatches('lua5.3'), []);
  });
}

test('fengari: every bitwise helper matches JavaScript', () => {
  assert.equal(mismatches('fengari'), []);
});

test.run();
