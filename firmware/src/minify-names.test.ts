import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { postDefaults, wearableDefaults } from './config/defaults';
import { MANGLEABLE_PROPERTIES, MANGLE_PROPS } from './minify-names';

const source = (path: string): string =>
  readFileSync(new URL(path, import.meta.url), 'utf8');

function clashes(names: string[]): string[] {
  return MANGLEABLE_PROPERTIES.filter((name) => names.includes(name));
}

test('no mangleable name is a property Espruino itself defines (espruino.d.ts)', () => {
  const declared = [...source('./espruino.d.ts').matchAll(/^\s+(\w+)\??[(:]/gm)];
  assert.equal(clashes(declared.map((m) => m[1]!)), []);
});

test('no mangleable name is a setting of urgence.json', () => {
  const settings = ['id', 'kind', 'key', ...Object.keys(postDefaults)];
  assert.equal(clashes([...settings, ...Object.keys(wearableDefaults)]), []);
});

test("no mangleable name is a key of urgence.info()'s JSON or another key the entries write", () => {
  const keys = ['./post/main.ts', './wearable/main.ts'].flatMap((file) =>
    [...source(file).matchAll(/(\w+):/g)].map((m) => m[1]!),
  );
  assert.equal(clashes(keys), []);
});

test('the pattern matches exactly the listed names', () => {
  assert.ok(MANGLE_PROPS.test('nowMs'));
  assert.not.ok(MANGLE_PROPS.test('nowMsX'));
  assert.not.ok(MANGLE_PROPS.test('counter'));
});

test.run();
