import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runInNewContext } from 'node:vm';
import { functionsToArrows, undefinedAsParameter } from './arrows';

test('a plain function declaration becomes a shorter arrow with the same result', async () => {
  const code = '(()=>{function add(a,b){return a+b}out=add(2,3)})();';
  const arrows = await functionsToArrows(code);
  assert.not.match(arrows, /function/);
  assert.ok(arrows.length < code.length);
  const context: { out?: number } = {};
  runInNewContext(arrows, context);
  assert.is(context.out, 5);
});

test('a function that uses this or arguments stays a function', async () => {
  const arrows = await functionsToArrows(
    '(()=>{function a(){return this}function b(){return arguments.length}x=[a,b]})();',
  );
  assert.is(arrows.match(/function/g)?.length, 2);
});

test('a function constructed with new or given a prototype stays a function', async () => {
  const arrows = await functionsToArrows(
    '(()=>{function A(){}function B(){}B.prototype.x=1;x=[new A(),B]})();',
  );
  assert.is(arrows.match(/function/g)?.length, 2);
});

test('nested declarations are rewritten too and still run in order', async () => {
  const code =
    '(()=>{function outer(n){function inner(m){return m*2}return inner(n)+1}out=outer(4)})();';
  const arrows = await functionsToArrows(code);
  assert.not.match(arrows, /function/);
  const context: { out?: number } = {};
  runInNewContext(arrows, context);
  assert.is(context.out, 9);
});

test('void 0 becomes an unpassed parameter whose name the bundle uses nowhere', () => {
  const code =
    '(()=>{var _=1;function f(e){return void 0}out=String([f(),_,void 0===void 0])})();';
  const shorter = undefinedAsParameter(code);
  assert.not.match(shorter, /void 0/);
  assert.ok(shorter.startsWith('($=>{'), shorter);
  const context: { out?: string } = {};
  runInNewContext(shorter, context);
  assert.is(context.out, ',1,true');
});

test('code of another shape is left as it is', () => {
  const code = 'var x=(()=>{return void 0})();';
  assert.is(undefinedAsParameter(code), code);
});

test.run();
