// The simulated device runs code with Espruino's globals, semantics and lifecycle.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SimDevice } from './device';

const device = (source: string): SimDevice => {
  const sim = new SimDevice({ aliases: { BTN: 'D0', LED1: 'D5' } });
  sim.powerOn(source);
  return sim;
};

test('the realm has none of the built-ins Espruino lacks', () => {
  const sim = device('');
  const kinds = sim.evaluate(
    '[typeof Map, typeof Set, typeof WeakMap, typeof Symbol, typeof Proxy, typeof Reflect,' +
      ' typeof Math.imul, typeof Array.from, typeof Number.isInteger].join()',
  );
  assert.is(kinds, Array(9).fill('undefined').join());
});

test('btoa and atob turn binary strings to base64 and back, as Espruino does', () => {
  const sim = device('');
  assert.is(sim.evaluate('btoa("urgence")'), 'dXJnZW5jZQ==');
  assert.is(sim.evaluate('btoa("\\x00\\xff\\x80")'), 'AP+A');
  assert.is(sim.evaluate('atob("AP+A").charCodeAt(1)'), 0xff);
  assert.is(sim.evaluate('atob(btoa("\\x01\\xfe"))'), '\x01\xfe');
});

test('timers run only when the test advances the fake clock', () => {
  const sim = device('var runs = 0; setInterval(function () { runs++; }, 1000);');
  sim.advance(999);
  assert.is(sim.evaluate('runs'), 0);
  sim.advance(2001);
  assert.is(sim.evaluate('runs'), 3);
});

test('clearTimeout with no argument clears every timer, as on Espruino', () => {
  const sim = device(
    'var ran = false; setTimeout(function () { ran = true; }, 10); clearTimeout();',
  );
  sim.advance(100);
  assert.is(sim.evaluate('ran'), false);
});

test('getTime and Date follow the fake clock and the wall clock set at provisioning', () => {
  const sim = device('');
  sim.setWallClock(1_700_000_000);
  sim.advance(1500);
  assert.is(sim.evaluate('getTime()'), 1_700_000_001.5);
  assert.is(sim.evaluate('Date.now()'), 1_700_000_001_500);
  assert.is(sim.evaluate('new Date().getTime()'), 1_700_000_001_500);
});

test('a debounced watch reports one edge for a bouncing button', () => {
  const sim = device(
    'var edges = []; setWatch(function (e) { edges.push(e.state); }, BTN,' +
      ' { repeat: true, edge: "both", debounce: 25 });',
  );
  sim.press();
  sim.advance(5);
  sim.release();
  sim.advance(5);
  sim.press();
  sim.advance(50);
  sim.release();
  sim.advance(50);
  assert.is(sim.evaluate('edges.join()'), 'true,false');
});

test('a watch without repeat fires once', () => {
  const sim = device(
    'var n = 0; setWatch(function () { n++; }, BTN, { edge: "rising" });',
  );
  sim.hold(100);
  sim.hold(100);
  assert.is(sim.evaluate('n'), 1);
});

test('a falling-edge watch carries the time of the rising edge in lastTime', () => {
  const sim = device(
    'var width; setWatch(function (e) { width = e.time - e.lastTime; }, BTN,' +
      ' { repeat: true, edge: "falling", debounce: 0 });',
  );
  sim.advance(1000);
  sim.hold(2000);
  assert.is(sim.evaluate('width'), 2);
});

test('a watch on the built-in button defaults to rising edges, debounced 25 ms', () => {
  const sim = device(
    'var edges = []; setWatch(function (e) { edges.push(e.state); }, BTN, { repeat: true });',
  );
  sim.press();
  sim.advance(10);
  sim.release();
  sim.advance(10);
  sim.hold(100);
  sim.advance(100);
  assert.is(sim.evaluate('edges.join()'), 'true');
});

test('a watch on any other pin defaults to both edges without debounce', () => {
  const sim = device(
    'var edges = []; setWatch(function (e) { edges.push(e.state); }, D9, { repeat: true });',
  );
  sim.pins.input('D9', 1);
  sim.pins.input('D9', 0);
  assert.is(sim.evaluate('edges.join()'), 'true,false');
});

test('pins are written through objects, names and digitalWrite alike', () => {
  const sim = device('LED1.set(); digitalWrite("D6", 1); D7.write(true); D7.reset();');
  assert.equal([sim.level('D5'), sim.level('D6'), sim.level('D7')], [1, 1, 0]);
  assert.equal(
    sim.pins.changes('D7').map((change) => change.level),
    [1, 0],
  );
});

test('a power cut drops timers and RAM but keeps Storage', () => {
  const code =
    'var s = require("Storage"); var boots = (s.readJSON("boots.json", true) || 0) + 1;' +
    ' s.writeJSON("boots.json", boots); var ticks = 0; setInterval(function () { ticks++; }, 10);';
  const sim = device(code);
  sim.advance(100);
  sim.powerCut();
  assert.is(sim.clock.pending(), 0);
  sim.powerOn();
  assert.is(sim.evaluate('boots'), 2);
  assert.is(sim.evaluate('ticks'), 0);
});

test('power-on without a source boots .bootcde from Storage', () => {
  const sim = new SimDevice();
  sim.journal.write('.bootcde', new TextEncoder().encode('var booted = "yes";'));
  sim.powerOn();
  assert.is(sim.evaluate('booted'), 'yes');
});

test('a source booted once leaves later restarts to .bootcde, as after flashing', () => {
  const sim = new SimDevice();
  sim.powerOn('', true);
  sim.journal.write('.bootcde', new TextEncoder().encode('var flashed = true;'));
  sim.evaluate('load()');
  sim.settle();
  assert.is(sim.evaluate('flashed'), true);
});

test('a source given to powerOn stands in for .bootcde at every restart', () => {
  const sim = new SimDevice();
  sim.powerOn('var fromSource = true;');
  sim.journal.write('.bootcde', new TextEncoder().encode('var fromStorage = true;'));
  sim.evaluate('E.reboot()');
  sim.advance(1);
  assert.is(sim.evaluate('typeof fromStorage + typeof fromSource'), 'undefinedboolean');
});

test('E.on("init") handlers run after the boot code', () => {
  const sim = device(
    'var order = []; E.on("init", function () { order.push("init"); }); order.push("code");',
  );
  assert.is(sim.evaluate('order.join()'), 'code,init');
});

test('a watchdog that is not kicked resets the device', () => {
  const sim = device('E.enableWatchdog(2, false);');
  sim.advance(2100);
  assert.equal(
    sim.resets.map((reset) => reset.reason),
    ['watchdog'],
  );
});

test('a watchdog kicked in time never resets the device', () => {
  const sim = device(
    'E.enableWatchdog(2, false); setInterval(function () { E.kickWatchdog(); }, 1000);',
  );
  sim.advance(60_000);
  assert.is(sim.resets.length, 0);
});

test('watchdogState shows the period, manual kicking and the kicks so far', () => {
  const sim = device(
    'E.enableWatchdog(2, false); setInterval(function () { E.kickWatchdog(); }, 1000);',
  );
  sim.advance(3500);
  assert.equal(sim.watchdogState, { timeoutMs: 2000, manual: true, kicks: 3 });
});

test('an automatic watchdog (kicked by the idle loop) never resets the device', () => {
  const sim = device('E.enableWatchdog(2); E.kickWatchdog();');
  sim.advance(60_000);
  assert.is(sim.resets.length, 0);
  assert.is(sim.watchdogState?.manual, false);
});

test('digitalPulse lasts what it is asked for, except over RMT on ESP32', () => {
  const pulse = 'digitalPulse(D5, 1, 500);';
  const plain = device(pulse);
  plain.advance(1000);
  const esp32 = new SimDevice({ rmtPulses: true });
  esp32.powerOn(pulse);
  esp32.advance(1000);
  const lasted = (sim: SimDevice) => {
    const [up, down] = sim.pins.changes('D5');
    return down!.atMs - up!.atMs;
  };
  assert.is(lasted(plain), 500);
  assert.is(lasted(esp32), 8.48, '500,000 us kept to 15 bits: 8,480 us');
});

test('an error thrown in a callback is printed and the device carries on', () => {
  const sim = device(
    'var after = 0; setTimeout(function () { throw new Error("boom"); }, 1);' +
      ' setTimeout(function () { after = 1; }, 2);',
  );
  sim.advance(10);
  assert.is(sim.uncaught.length, 1);
  assert.match(sim.output, /Uncaught Error: boom/);
  assert.is(sim.evaluate('after'), 1);
});

test('writeJSON stores typed arrays as plain arrays, as Espruino does', () => {
  const sim = device(
    'require("Storage").writeJSON("f.json", { tag: new Uint8Array([1, 255]) });',
  );
  assert.is(Buffer.from(sim.journal.find('f.json')!).toString(), '{"tag":[1,255]}');
});

test('crypto.SHA256 returns an ArrayBuffer of the device realm', () => {
  const sim = device('var h = require("crypto").SHA256("abc");');
  assert.is(sim.evaluate('h instanceof ArrayBuffer'), true);
  assert.is(sim.evaluate('new Uint8Array(h)[0]'), 0xba);
});

test('require of a module the board lacks fails as Espruino does', () => {
  const sim = device('');
  assert.throws(() => sim.evaluate('require("http")'), /Module http not found/);
});

test('console output is captured', () => {
  const sim = device('console.log("hello", 1, { a: 2 });');
  assert.is(sim.output, 'hello 1 {"a":2}\n');
});

test.run();
