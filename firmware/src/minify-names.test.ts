import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import {
  postDefaults,
  postSettingNames,
  wearableDefaults,
  wearableSettingNames,
} from './config/defaults';
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

test('no mangleable name is one of the fixed keys of urgence.json (id, kind, key)', () => {
  assert.equal(clashes(['id', 'kind', 'key']), []);
});

test('every timing setting is mangleable only because it has a name in the lists', () => {
  const settings = [...Object.keys(postDefaults), ...Object.keys(wearableDefaults)];
  const named = [...postSettingNames, ...wearableSettingNames];
  assert.equal(
    settings.filter((name) => named.includes(name) === false),
    [],
  );
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
