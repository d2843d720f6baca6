// The Lua build's source adjustment: interfaces become self-less, nothing else moves.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { selfLessInterfaces } from './compile';

test('marks exported and local interfaces @noSelf on their own line', () => {
  const source =
    'export interface A {\n  f(x: number): void;\n}\n  interface B { g(): void }\n';
  const adjusted = selfLessInterfaces(source);
  assert.is(
    adjusted,
    '/** @noSelf */ export interface A {\n  f(x: number): void;\n}\n' +
      '  /** @noSelf */ interface B { g(): void }\n',
  );
  assert.is(adjusted.split('\n').length, source.split('\n').length);
});

test('leaves classes, type aliases and the word interface inside text alone', () => {
  const source = "class C {}\ntype T = () => void;\nconst s = 'an interface here';\n";
  assert.is(selfLessInterfaces(source), source);
});

test.run();
