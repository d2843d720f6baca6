// Specification of the Espruino compatibility check: snippets it must accept and reject.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkEspruino, formatProblem } from './check';

const accepted: [string, string][] = [
  [
    'arrow functions, classes, template literals',
    'class A{constructor(){this.x=1}}const f=()=>`${new A().x}`;f();',
  ],
  ['a function called after its declaration', 'function f(){return 1}f();'],
  [
    'a callback that uses a later binding but runs later',
    'setTimeout(function(){g()},1);function g(){}',
  ],
  [
    'a stored function that refers to a later binding',
    'var f=function(){return x};var x=1;f();',
  ],
  ['a local named Map (a minifier may pick any name)', 'var Map=1;Map+1;'],
  ['recursion', 'function f(n){return n?f(n-1):0}f(3);'],
  ['for…of and let', 'let t=0;for(const v of [1,2])t+=v;'],
  ['computed member access (not a computed key)', 'var o={},k="a";o[k]=1;'],
  [
    'a class whose methods use later bindings',
    'class A{m(){return z}}var z=1;new A().m();',
  ],
  ['getters and setters', 'var o={get a(){return 1},set a(v){}};'],
  ['nullish coalescing', 'var a=null;var b=a??2;'],
  ['parameters used in the body', 'function f(a,b){return a+b}f(1,2);'],
  [
    'a factory-made method called after the binding it uses',
    'function make(){function start(){return x}return {start:start}}var m=make();var x=1;m.start();',
  ],
  ['a for-let read only by the loop itself', 'var t=0;for(let i=0;i<3;i++){t+=i}'],
  [
    'a closure in a for-let loop that copies the value first',
    'for(let i=0;i<3;i++){(function(j){setTimeout(function(){print(j)},1)})(i)}',
  ],
];

const rejected: [string, string, string][] = [
  ['object destructuring', 'var {a}={a:1};', 'destructuring'],
  ['array destructuring', 'var [a]=[1];', 'destructuring'],
  ['default parameters', 'function f(a=1){return a}f();', 'default parameter'],
  ['rest parameters', 'function f(...a){return a}f();', 'rest parameter'],
  ['spread in a call', 'var a=[1];Math.max(...a);', 'spread'],
  ['spread in an object', 'var a={};var b={...a};', 'spread'],
  ['computed keys', 'var k="a";var o={[k]:1};', 'computed key'],
  ['computed method names', 'var k="a";class A{[k](){}}', 'computed key'],
  ['generators', 'function*g(){yield 1}', 'generator'],
  ['async functions', 'async function f(){await 1}', 'async function'],
  ['labels', 'a:for(;;){break a}', 'label'],
  ['#private fields', 'class A{#x=1;m(){return this.#x}}', '#private'],
  ['Map', 'var m=new Map();', 'Map'],
  ['Set', 'var s=new Set();', 'Set'],
  ['Symbol', 'var s=Symbol("a");', 'Symbol'],
  ['WeakMap', 'var w=new WeakMap();', 'WeakMap'],
  ['Math.imul', 'Math.imul(2,3);', 'Math.imul'],
  ['Array.from', 'Array.from([1]);', 'Array.from'],
  ['Number.isInteger', 'Number.isInteger(1);', 'Number.isInteger'],
  ['a class extending Error', 'class E extends Error{}', 'Error subclass'],
  ['a class extending TypeError', 'class E extends TypeError{}', 'Error subclass'],
  [
    'a call before the function declaration',
    'f();function f(){}',
    'use before declaration',
  ],
  [
    'a variable read before its declaration',
    'var y=x+1;var x=1;',
    'use before declaration',
  ],
  ['a let read in its own initialiser', 'let x=x+1;', 'use before declaration'],
  [
    'a class constructed before its declaration',
    'new A();class A{}',
    'use before declaration',
  ],
  [
    'a call whose body uses a later binding',
    'function f(){return x}f();var x=1;',
    'use before declaration',
  ],
  [
    'a call that reaches a later binding through another function',
    'function f(){return g()}function g(){return x}f();var x=1;',
    'use before declaration',
  ],
  [
    'a call to a function expression held in a variable',
    'var f=()=>x;f();var x=1;',
    'use before declaration',
  ],
  [
    'an immediately invoked function that uses a later binding',
    '(function(){return x})();var x=1;',
    'use before declaration',
  ],
  [
    'the same mistake inside a bundle wrapper',
    '(()=>{var a=b();function b(){return c}var c=1;})();',
    'use before declaration',
  ],
  [
    'a constructor that uses a later binding',
    'class A{constructor(){this.v=x}}new A();var x=1;',
    'use before declaration',
  ],
  [
    'a field initialiser that uses a later binding',
    'class A{v=x}new A();var x=1;',
    'use before declaration',
  ],
  [
    'a forEach callback that uses a later binding',
    '[1].forEach(function(){x});var x=1;',
    'use before declaration',
  ],
  [
    'a closure capturing a for-let binding',
    'for(let i=0;i<3;i++){setTimeout(function(){print(i)},1)}',
    'closure over a for-let',
  ],
  [
    'a method of a factory-made object that uses a later binding',
    'function make(){function start(){return x}return {start:start}}var m=make();m.start();var x=1;',
    'use before declaration',
  ],
  [
    'a method of a new instance that uses a later binding',
    'class A{go(){return x}}var a=new A();a.go();var x=1;',
    'use before declaration',
  ],
  [
    'a constructor calling its own method that uses a later binding',
    'class A{constructor(){this.init()}init(){return x}}new A();var x=1;',
    'use before declaration',
  ],
  [
    'a static method that uses a later binding',
    'class A{static make(){return x}}A.make();var x=1;',
    'use before declaration',
  ],
  [
    'an object literal method that uses a later binding',
    'var o={run:function(){return x}};o.run();var x=1;',
    'use before declaration',
  ],
  ['a parse error', 'var = ;', 'syntax error'],
];

for (const [name, code] of accepted) {
  test(`accepts ${name}`, () => {
    assert.equal(checkEspruino(code).map(formatProblem), []);
  });
}

for (const [name, code, construct] of rejected) {
  test(`rejects ${name}`, () => {
    const constructs = checkEspruino(code).map((problem) => problem.construct);
    assert.ok(
      constructs.includes(construct),
      `expected ${construct}, got ${constructs.join(', ')}`,
    );
  });
}

test('names the line and column of the construct', () => {
  const problems = checkEspruino('var a = 1;\nvar b = [...a];');
  assert.equal(problems.map(formatProblem), ['2:10 spread: Espruino cannot run this']);
});

test('names the later declaration when a call reaches it', () => {
  const problems = checkEspruino('function f(){return x}\nf();\nvar x=1;');
  assert.equal(problems.length, 1);
  assert.match(
    formatProblem(problems[0]!),
    /^2:1 use before declaration: .*`x` \(at 1:21\).* 3:5/,
  );
});

test.run();
