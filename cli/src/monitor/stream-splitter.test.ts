import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StreamSplitter, type StreamPiece } from './stream-splitter';

const bytes = (...values: (number | string)[]) =>
  Uint8Array.from(
    values.flatMap((v) => (typeof v === 'string' ? [...Buffer.from(v, 'latin1')] : [v])),
  );

function kinds(pieces: StreamPiece[]): string[] {
  return pieces.map((p) =>
    p.type === 'line' ? 'line:' + p.text : 'frame:' + Buffer.from(p.wire).toString('hex'),
  );
}

test('console lines are cut at newlines without their carriage return', () => {
  const splitter = new StreamSplitter();
  assert.equal(kinds(splitter.push(bytes('hello\r\nwor'))), ['line:hello']);
  assert.equal(kinds(splitter.push(bytes('ld\r\n'))), ['line:world']);
});

test('a frame between delimiters comes out whole, even split across reads', () => {
  const splitter = new StreamSplitter();
  assert.equal(kinds(splitter.push(bytes(0, 3, 0x11))), []);
  assert.equal(kinds(splitter.push(bytes(0x22, 0))), ['frame:0003112200']);
});

test('back-to-back frames and idle fill give one piece per frame', () => {
  const splitter = new StreamSplitter();
  const pieces = splitter.push(bytes(0, 2, 9, 0, 0, 0, 0, 2, 8, 0));
  assert.equal(kinds(pieces), ['frame:00020900', 'frame:00020800']);
});

test('text around a frame stays text, and a half line before it is flushed', () => {
  const splitter = new StreamSplitter();
  const pieces = splitter.push(bytes('boot ok', 0, 2, 7, 0, 'next\n'));
  assert.equal(kinds(pieces), ['line:boot ok', 'frame:00020700', 'line:next']);
});

test.run();
