import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { workedExample } from './test/worked-example';

const readme = readFileSync(
  fileURLToPath(new URL('../README.md', import.meta.url)),
  'utf8',
);

test('the worked example in README.md is exactly what the code produces', () => {
  const start = readme.indexOf('<!-- worked-example:start -->');
  const end = readme.indexOf('<!-- worked-example:end -->');
  assert.ok(start >= 0 && end > start, 'README.md lacks the worked-example markers');
  const block = readme.slice(start, end);
  const body = block.slice(block.indexOf('```text\n') + 8, block.lastIndexOf('\n```'));
  assert.fixture(body, workedExample());
});

test.run();
