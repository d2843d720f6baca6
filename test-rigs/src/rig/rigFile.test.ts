import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { loadRigFile, parseRig } from './rigFile';
import { RigFileError } from './check';

const rigsDir = fileURLToPath(new URL('../../rigs/', import.meta.url));

function problemsOf(json: unknown): string[] {
  try {
    parseRig(json);
  } catch (error) {
    if (error instanceof RigFileError) return error.problems;
    throw error;
  }
  assert.unreachable('the rig file was accepted');
  return [];
}

const benchPost = {
  kind: 'post',
  console: { port: '/dev/ttyUSB0' },
  link: { port: '/dev/ttyUSB1' },
  power: { relay: 'r', channel: 1 },
  button: { finger: 'f', pin: 'B3', activeHigh: false },
  leds: { calling: { finger: 'f', pin: 'A5' } },
};
const benchRig = (post: object) => ({
  name: 'b',
  driver: 'bench',
  fingers: { f: { port: '/dev/ttyACM0' } },
  relays: { r: { port: '/dev/ttyUSB9', protocol: 'lcus', channels: 2 } },
  places: { 'post-1': post },
});

test('the example bench file and the virtual rig file are valid', () => {
  const bench = loadRigFile(rigsDir + 'bench.example.json');
  assert.is(bench.driver, 'bench');
  assert.is(bench.places.length, 2);
  assert.equal(bench.places[0]!.power, { relay: 'lcus', channel: 1 });
  assert.equal(bench.places[0]!.button, { finger: 'pico', pin: 'B3', activeHigh: false });
  const virtual = loadRigFile(rigsDir + 'virtual.json');
  assert.is(virtual.driver, 'virtual');
  assert.equal(
    virtual.places.map((place) => place.kind),
    ['post', 'wearable'],
  );
});

test('serial ports get the default baud rate for their role', () => {
  const rig = parseRig(benchRig(benchPost));
  assert.is(rig.places[0]!.console!.baud, 115200);
  assert.is(rig.fingers.f!.serial.baud, 9600);
});

test('a relay channel beyond the board is named with the accepted range', () => {
  const problems = problemsOf(
    benchRig({ ...benchPost, power: { relay: 'r', channel: 3 } }),
  );
  assert.equal(problems, [
    'places.post-1.power.channel: expected an integer from 1 to 2, got 3',
  ]);
});

test('a finger line on an undeclared finger board is refused', () => {
  const button = { finger: 'nope', pin: 'B3' };
  const problems = problemsOf(benchRig({ ...benchPost, button }));
  assert.equal(problems, [
    'places.post-1.button.finger: no finger board named "nope" under "fingers"',
  ]);
});

test('a serial reference needs exactly one of port and usbSerial', () => {
  const console = { port: '/dev/ttyUSB0', usbSerial: 'A1' };
  const problems = problemsOf(benchRig({ ...benchPost, console }));
  assert.match(problems[0]!, /places\.post-1\.console: give exactly one of "port"/);
});

test('every problem in the file is reported at once', () => {
  const problems = problemsOf({
    name: '',
    driver: 'hil',
    places: { a: { kind: 'lamp' }, b: { kind: 'post', colour: 'blue' } },
  });
  assert.equal(problems, [
    'name: expected a non-empty string, got ""',
    'driver: expected one of "virtual", "bench", got "hil"',
    'places.a.kind: expected one of "post", "wearable", got "lamp"',
    'places.b.colour: unknown setting; expected one of kind, deviceId, policy, location, ' +
      'console, link, power, linkRelay, button, tamper, leds',
  ]);
});

test('a virtual place with wiring is refused rather than silently ignored', () => {
  const problems = problemsOf({
    name: 'v',
    driver: 'virtual',
    places: { p: { kind: 'post', power: { relay: 'r', channel: 1 } } },
  });
  assert.equal(problems, ['places.p.power: a virtual place has no wiring: remove it']);
});

test('two places with the same device id are refused', () => {
  const problems = problemsOf({
    name: 'v',
    driver: 'virtual',
    places: {
      p: { kind: 'post', deviceId: '0000000a' },
      q: { kind: 'post', deviceId: '0000000a' },
    },
  });
  assert.equal(problems, ['places.q.deviceId: 0000000a is already used by p']);
});

test('a file that is not JSON names the file', () => {
  assert.throws(
    () => loadRigFile(rigsDir + '../package.json.missing'),
    (error: Error) =>
      error instanceof RigFileError && /cannot read the rig file/.test(error.message),
  );
});

test.run();
