import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { byteStringLiteral } from './storage-upload';

const evaluate = (literal: string): Buffer =>
  Buffer.from(
    JSON.parse(literal.replace(/\\x([0-9a-f]{2})/g, '\\u00$1')) as string,
    'latin1',
  );

test('every byte value survives the string literal', () => {
  const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.equal(evaluate(byteStringLiteral(bytes)), Buffer.from(bytes));
});

test('printable text passes as is, quotes and backslashes are escaped', () => {
  assert.is(byteStringLiteral(Buffer.from('a "b" \\c')), '"a \\x22b\\x22 \\x5cc"');
});

test('no control byte reaches the console line', () => {
  const literal = byteStringLiteral(Uint8Array.of(0x03, 0x10, 0x0a, 0x0d, 0x00, 0x7f));
  const codes = [...literal].map((char) => char.charCodeAt(0));
  assert.ok(codes.every((code) => code >= 0x20 && code < 0x7f));
});

test.run();
