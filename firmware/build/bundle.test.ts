// The bundler emits one IIFE per device that Espruino can run, and enforces the budgets.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import vm from 'node:vm';
import { budgetViolation, bundleDevice, helpersIn } from './bundle';
import { fixtureDevice } from './devices';
import { checkEspruino, formatProblem } from './check';

test('bundles an entry and its imports into one immediately invoked function', async () => {
  const bundle = await bundleDevice(fixtureDevice('post', 16 * 1024));
  // `(()=>{` or `(u=>{` where u stands for undefined (build/arrows.ts).
  assert.match(bundle.code, /^\((\(\)|[\w$]+)=>\{/);
  assert.not.match(bundle.code, /\bimport\b|\bexport\b/);
  assert.is(bundle.bytes, Buffer.byteLength(bundle.code));
});

test('emits class fields as constructor assignments, with no define helpers', async () => {
  const bundle = await bundleDevice(fixtureDevice('post', 16 * 1024));
  assert.not.match(bundle.code, /__publicField|defineProperty/);
  assert.match(bundle.code, /this\.presses=0/);
});

test('lowers ?. and ** below ES2015 so the output passes the compatibility check', async () => {
  const bundle = await bundleDevice(fixtureDevice('post', 16 * 1024));
  assert.not.match(bundle.code, /\?\.|\*\*/);
  assert.equal(checkEspruino(bundle.code).map(formatProblem), []);
});

test('the emitted code behaves as the TypeScript does', async () => {
  const bundle = await bundleDevice(fixtureDevice('post', 16 * 1024));
  const context = vm.createContext({}) as {
    global?: unknown;
    fixture?: Record<string, (arg?: unknown) => unknown>;
  };
  context.global = context;
  vm.runInContext(bundle.code, context);
  const fixture = context.fixture!;
  assert.equal(
    [fixture.presses!(0), fixture.presses!(1000), fixture.presses!(5000)],
    [1, 2, 1],
  );
  assert.is(fixture.label!({ n: 'p1' }), 'post p1 8');
  assert.is(fixture.label!(), 'post none 8');
});

test('a class field with define semantics would need a helper, which the build avoids', async () => {
  const plain = await bundleDevice(fixtureDevice('post', 16 * 1024), undefined, false);
  assert.equal(helpersIn(plain.code), []);
  assert.match(plain.code, /this\.presses = 0/);
});

test('finds the helpers esbuild adds, such as the define-semantics class field one', () => {
  const code =
    '(() => {\n  var __defProp = Object.defineProperty;\n  var __pow = Math.pow;\n';
  assert.equal(helpersIn(code), ['__defProp']);
});

test('reports a bundle over its budget in one line naming the excess', async () => {
  const bundle = await bundleDevice(fixtureDevice('wearable', 100));
  const violation = budgetViolation(bundle);
  assert.ok(violation !== undefined);
  assert.match(
    violation!,
    /^wearable bundle is \d+ bytes, over its 100-byte budget by \d+$/,
  );
});

test('accepts a bundle within its budget', async () => {
  const bundle = await bundleDevice(fixtureDevice('wearable', 8 * 1024));
  assert.is(budgetViolation(bundle), undefined);
});

test.run();
