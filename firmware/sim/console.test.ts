// The console answers as Espruino's does, byte for byte where tools depend on it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SimConsole } from './console';
import { SimDevice } from './device';

const attach = (
  source: string,
): { sim: SimDevice; repl: SimConsole; out: () => string } => {
  const sim = new SimDevice();
  sim.powerOn(source);
  const repl = new SimConsole(sim);
  let text = '';
  repl.onOutput((bytes) => {
    text += Buffer.from(bytes).toString('latin1');
  });
  return {
    sim,
    repl,
    out: () => {
      const seen = text;
      text = '';
      return seen;
    },
  };
};

test('echoes the line, prints =result and the prompt', () => {
  const { repl, out } = attach('');
  repl.input('1+2\r');
  assert.is(out(), '1+2\r\n=3\r\n>');
});

test('\\x10 at the start of a line suppresses the echo and the result', () => {
  const { repl, out } = attach(
    'var urgence = { info: function () { print("{\\"id\\":1}"); } };',
  );
  repl.input('\x10urgence.info()\n');
  assert.is(out(), '{"id":1}\r\n');
});

test('strings are printed quoted and errors as Uncaught', () => {
  const { repl, out } = attach('');
  repl.input('"a"+1\r');
  assert.is(out(), '"a"+1\r\n="a1"\r\n>');
  repl.input('nope()\r');
  assert.match(out(), /^nope\(\)\r\nUncaught ReferenceError: nope is not defined\r\n>$/);
});

test('an unbalanced bracket continues the line', () => {
  const { repl, out } = attach('');
  repl.input('[1,\r2].length\r');
  assert.is(out(), '[1,\r\n:2].length\r\n=2\r\n>');
});

test('reset() empties the interpreter and prints the banner', () => {
  const { sim, repl, out } = attach('var kept = 1;');
  repl.input('reset()\r');
  assert.match(out(), /^reset\(\)\r\n=undefined\r\n[\s\S]*espruino\.com[\s\S]*>$/);
  assert.is(sim.evaluate('typeof kept'), 'undefined');
});

test('load() runs the boot code again', () => {
  const { sim, repl } = attach(
    'var boots = (typeof boots === "number" ? boots : 0) + 1;',
  );
  sim.evaluate('boots = 5');
  repl.input('load()\r');
  assert.is(sim.evaluate('boots'), 1);
  assert.equal(
    sim.resets.map((reset) => reset.reason),
    ['load'],
  );
});

test('E.reboot() from the console restarts the device', () => {
  const { sim, repl } = attach('');
  repl.input('E.reboot()\r');
  assert.equal(
    sim.resets.map((reset) => reset.reason),
    ['reboot'],
  );
});

test.run();
