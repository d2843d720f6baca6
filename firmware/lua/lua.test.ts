// The Lua build of protocol/ gives byte-identical results to the JavaScript one on the same
// vectors: CRC, CBOR, COBS, HMAC, COSE_Mac0 tags, messages, BLE frames and link frames.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileLuaOnce, luaOutDir, luaShimDir } from './compile';
import { buildArg, exportNamed, loadModules, luaLiteral, render } from './render';
import { nativeLuaAvailable, runLua, vectorRunner, type Interpreter } from './run-lua';
import { vectors } from './vectors';

const interpreter: Interpreter = nativeLuaAvailable() ? 'lua5.3' : 'fengari';
const luaResults = new Map<string, string>();
let fengariLines: string[] = [];
let nativeLines: string[] = [];
let compileProblems: string[] = [];

let setupError: unknown;

// uvu reports nothing when a hook throws: keep the error and fail each test with it.
test.before(async () => {
  try {
    await setUp();
  } catch (error) {
    setupError = error;
  }
});

async function setUp(): Promise<void> {
  await loadModules(vectors.map((vector) => vector.module));
  compileProblems = compileLuaOnce().problems;
  const dir = mkdtempSync(join(tmpdir(), 'urgence-lua-'));
  try {
    const file = join(dir, 'vectors.lua');
    writeFileSync(file, 'return ' + luaLiteral(vectors) + '\n');
    const args = [luaOutDir, luaShimDir, file];
    nativeLines = runLua(interpreter, vectorRunner, args);
    fengariLines =
      interpreter === 'fengari' ? nativeLines : runLua('fengari', vectorRunner, args);
    for (const line of nativeLines) {
      const tab = line.indexOf('\t');
      luaResults.set(line.slice(0, tab), line.slice(tab + 1));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('typescript-to-lua compiles protocol/ and the logic without errors', () => {
  assert.is(setupError, undefined, String(setupError));
  assert.equal(compileProblems, []);
});

for (const vector of vectors) {
  test(`Lua and JavaScript agree: ${vector.name}`, () => {
    assert.is(setupError, undefined, String(setupError));
    let expected: string;
    try {
      expected = render(
        exportNamed(vector.fn, vector.module)(...vector.args.map(buildArg)),
      );
    } catch (error) {
      expected = 'error:' + String(error);
    }
    assert.not.match(expected, /^error:/, 'the JavaScript call itself failed');
    assert.is(luaResults.get(vector.name), expected);
  });
}

test('fengari, the fallback interpreter, prints the same results as lua5.3', () => {
  assert.equal(fengariLines, nativeLines);
});

test.run();
