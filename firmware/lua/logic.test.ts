// The logic's stateful code behaves the same compiled to Lua. The wearable's press pattern
// (hold, triple press, plain presses) gives the same events at the same times; the post's
// and the wearable's alarm machines, played the same script on a fake clock (presses, link
// bytes and acks from the gateway, acks heard over the air), give the same outputs in Node
// and in lua5.3 (or fengari): link frames and adverts byte for byte, lamps, notes, files.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceHal } from '../src/hal';
import { wearablePress } from '../src/logic/press-wearable';
import { compileLuaOnce, luaOutDir, luaShimDir } from './compile';
import { machineScripts } from './alarm-scripts';
import { luaProgram, playInNode } from './logic-scripts';
import { nativeLuaAvailable, runLua } from './run-lua';

type Step = { press: boolean } | { advance: number };

const timings = { holdMs: 2000, multiPressCount: 3, multiPressWindowMs: 1500 };
const tap = (gapMs: number): Step[] => [
  { press: true },
  { advance: 80 },
  { press: false },
  { advance: gapMs },
];

const scripts: [string, Step[]][] = [
  [
    'a hold of 2.1 s',
    [{ press: true }, { advance: 2100 }, { press: false }, { advance: 100 }],
  ],
  ['three presses within 1.5 s', [...tap(200), ...tap(200), ...tap(200)]],
  ['three presses too slow', [...tap(900), ...tap(900), ...tap(900)]],
  [
    'a press released before the hold time',
    [{ press: true }, { advance: 1900 }, { press: false }, { advance: 500 }],
  ],
];

/** Node side: the TypeScript logic on a minimal fake HAL with the same timer order. */
function runInNode(steps: Step[]): string[] {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { due: number; run: () => void }>();
  const hal = {
    nowMs: () => now,
    after: (ms: number, run: () => void) => {
      timers.set(nextId, { due: now + ms, run });
      return nextId++;
    },
    cancel: (id: unknown) => void timers.delete(id as number),
  } as unknown as DeviceHal;
  const events: string[] = [];
  const press = wearablePress(
    hal,
    timings,
    (how) => events.push(`${now} trigger ${how}`),
    () => events.push(`${now} plain`),
  );
  for (const step of steps) {
    if ('press' in step) {
      press.edge(step.press);
      continue;
    }
    const finish = now + step.advance;
    for (;;) {
      const due = [...timers].filter(([, timer]) => timer.due <= finish);
      if (due.length === 0) break;
      due.sort((a, b) => a[1].due - b[1].due || a[0] - b[0]);
      const [id, timer] = due[0]!;
      timers.delete(id);
      now = timer.due;
      timer.run();
    }
    now = finish;
  }
  return events;
}

function luaScript(steps: Step[]): string {
  const body = steps
    .map((step) =>
      'press' in step ? `press.edge(${step.press})` : `hal:advance(${step.advance})`,
    )
    .join('\n');
  return `package.path = arg[1] .. "?.lua;" .. arg[2] .. "?.lua;" .. package.path
require("int32"); require("uint8array"); require("fake-hal")
local logic = require("firmware.src.logic.press-wearable")
local hal = FakeHal.new()
local timings = { holdMs = ${timings.holdMs}, multiPressCount = ${timings.multiPressCount}, multiPressWindowMs = ${timings.multiPressWindowMs} }
local press = logic.wearablePress(hal, timings,
  function(how) print(string.format("%d trigger %s", hal.now, how)) end,
  function() print(string.format("%d plain", hal.now)) end)
${body}
`;
}

let compileProblems: string[] = [];
test.before(() => {
  // uvu reports nothing when a hook throws: turn a crash into a problem every test shows.
  try {
    compileProblems = compileLuaOnce().problems;
  } catch (error) {
    compileProblems = ['typescript-to-lua crashed: ' + String(error)];
  }
});

/** Writes `program` to a temporary file and runs it with dist/lua/ and the shims. */
function runProgram(program: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'urgence-logic-'));
  try {
    const file = join(dir, 'script.lua');
    writeFileSync(file, program);
    const interpreter = nativeLuaAvailable() ? 'lua5.3' : 'fengari';
    return runLua(interpreter, file, [luaOutDir, luaShimDir]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const [name, steps] of scripts) {
  test(`Lua and Node agree on the wearable press pattern: ${name}`, () => {
    assert.equal(compileProblems, []);
    const lua = runProgram(luaScript(steps));
    const node = runInNode(steps);
    assert.ok(node.length > 0, 'the script produces events');
    assert.equal(lua, node);
  });
}

for (const [machine, name, steps, check] of machineScripts) {
  test(`Lua gives the same outputs as Node, ${machine}: ${name}`, () => {
    assert.equal(compileProblems, []);
    const node = playInNode(machine, steps);
    check(node);
    const lua = runProgram(luaProgram(machine, steps));
    assert.equal(lua, node);
  });
}

test.run();
