// Street post scenarios on the BUILT bundle in the Espruino simulator, with protocol's Link
// playing the gateway on the serial line.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AckStage, FaultCode, MessageType, sealMessage } from '@urgence/protocol';
import { esp32Post } from '@urgence/hardware';
import { postDefaults } from '../src/config/defaults';
import { PostBench, bundleOf, sha256 } from './harness';

const p = { id: '0000002a', key: new Uint8Array(32).fill(0x5a) };
const pins = esp32Post.pins;
let bundle = '';

test.before(async () => {
  bundle = await bundleOf('post');
});

function bench(): PostBench {
  const b = new PostBench(bundle, p).powerOn();
  b.sim.advance(1000);
  return b;
}

function press(b: PostBench, holdMs = 200): void {
  b.sim.hold(holdMs);
  b.sim.advance(500);
}

function changesBetween(b: PostBench, pin: string, fromMs: number, toMs: number): number {
  return b.sim.pins.changes(pin).filter((c) => c.atMs >= fromMs && c.atMs < toMs).length;
}

function stageOf(b: PostBench): string {
  const start = b.sim.output.length;
  b.sim.evaluate('urgence.info()');
  return (JSON.parse(b.sim.output.slice(start).trim()) as { stage: string }).stage;
}

function counterOf(message: unknown): number {
  return (message as { counter: number }).counter;
}

test('urgence.info() prints one JSON line for the CLI', () => {
  const b = bench();
  const start = b.sim.output.length;
  b.sim.evaluate('urgence.info()');
  const info = JSON.parse(b.sim.output.slice(start).trim()) as Record<string, unknown>;
  assert.is(info.id, p.id);
  assert.is(info.kind, 'post');
  assert.is(info.mains, true);
  assert.is(info.tamper, false);
  assert.is(info.link, 'ok');
  assert.is(info.battery, 13.2);
  assert.ok(Array.isArray(info.lastFaults));
});

test('boots without an uncaught error and heartbeats at once', () => {
  const b = bench();
  assert.equal(b.sim.uncaught, []);
  assert.is(b.ofType(MessageType.Heartbeat).length, 1);
});

test('a press delivers one valid signed alarm to the gateway', () => {
  const b = bench();
  press(b);
  const alarms = b.ofType(MessageType.Alarm);
  assert.is(alarms.length, 1);
  assert.is(b.sim.level(pins.ledCalling.pin), 1);
});

test('a repeat press within 10 s sends no second alarm', () => {
  const b = bench();
  press(b);
  b.sim.advance(3000);
  press(b);
  assert.is(b.ofType(MessageType.Alarm).length, 1);
});

test('after dispatch closes, a press within 10 s of the first is ignored, a later one raises', () => {
  const b = bench();
  const first = b.sim.clock.now();
  press(b);
  const counter = counterOf(b.ofType(MessageType.Alarm)[0]);
  const ack = (stage: 1 | 2 | 3) =>
    b.gateway.send(
      sealMessage(sha256, p.id, p.key, { type: MessageType.Ack, ref: counter, stage }),
    );
  ack(AckStage.Received);
  ack(AckStage.Closed);
  b.sim.advance(500);
  assert.is(stageOf(b), 'idle');

  b.sim.advance(first + postDefaults.repeatIgnoreMs - 1000 - b.sim.clock.now());
  press(b);
  assert.is(b.ofType(MessageType.Alarm).length, 1, 'no new alarm within 10 s');
  assert.is(stageOf(b), 'idle');
  assert.match(b.sim.output, /press ignored/);

  b.sim.advance(first + postDefaults.repeatIgnoreMs + 500 - b.sim.clock.now());
  press(b);
  const alarms = b.ofType(MessageType.Alarm);
  assert.is(alarms.length, 2, 'a new alarm after 10 s');
  assert.ok(counterOf(alarms[1]) > counter, 'with a new counter');
  assert.is(stageOf(b), 'calling');
});

test('a button stuck for minutes gives one alarm and one stuck-button fault', () => {
  const b = bench();
  b.sim.press();
  b.sim.advance(5 * 60 * 1000);
  const faults = b.ofType(MessageType.Fault);
  assert.is(b.ofType(MessageType.Alarm).length, 1);
  assert.is(faults.length, 1);
  assert.is((faults[0] as { fault: number }).fault, FaultCode.StuckButton);
});

test('dispatch acks show received (green steady) then help coming (green flashing), and closed rests the post', () => {
  const b = bench();
  press(b);
  const counter = counterOf(b.ofType(MessageType.Alarm)[0]);
  const ack = (stage: 1 | 2 | 3, key = p.key) =>
    b.gateway.send(
      sealMessage(sha256, p.id, key, { type: MessageType.Ack, ref: counter, stage }),
    );
  const strobing = b.sim.clock.now();
  b.sim.advance(2000);
  assert.ok(
    changesBetween(b, pins.strobe.pin, strobing, strobing + 2000) >= 4,
    'the strobe flashes while calling',
  );
  ack(AckStage.Received);
  b.sim.advance(500);
  assert.is(b.sim.level(pins.ledReceived.pin), 1);
  const steady = b.sim.clock.now();
  b.sim.advance(2000);
  assert.is(
    changesBetween(b, pins.ledReceived.pin, steady, steady + 2000),
    0,
    'green steady',
  );
  ack(AckStage.HelpComing);
  b.sim.advance(500);
  const flashing = b.sim.clock.now();
  b.sim.advance(2000);
  assert.ok(
    changesBetween(b, pins.ledReceived.pin, flashing, flashing + 2000) >= 3,
    'green flashes',
  );
  assert.ok(
    changesBetween(b, pins.strobe.pin, steady, flashing + 2000) >= 8,
    'the strobe keeps flashing through received and help coming',
  );
  ack(AckStage.Closed, new Uint8Array(32).fill(1)); // forged: ignored
  b.sim.advance(500);
  assert.is(b.sim.evaluate('urgence.info(), 0'), 0);
  assert.match(b.sim.output, /"stage":"helpComing"/);
  ack(AckStage.Closed);
  b.sim.advance(1000);
  assert.is(b.sim.journal.find('urgence.alm'), undefined);
  assert.is(b.sim.level(pins.strobe.pin), 0);
  const closed = b.sim.clock.now();
  b.sim.advance(4000);
  assert.is(
    changesBetween(b, pins.strobe.pin, closed, closed + 4000),
    0,
    'and stays off',
  );
});

test('urgence.testAlarm() sends one TestAlarm, no Alarm, and does not dial the intercom', () => {
  const b = bench();
  assert.is(b.sim.evaluate('urgence.testAlarm()'), true);
  b.sim.advance(500);
  assert.is(b.ofType(MessageType.TestAlarm).length, 1);
  assert.is(b.ofType(MessageType.Alarm).length, 0);
  assert.is(b.sim.pins.changes(pins.intercomRelay.pin).length, 0);
  assert.is(stageOf(b), 'calling');
});

test('a test alarm is kept until link-acked: a dead gateway then a reboot lose nothing', () => {
  const b = bench();
  b.accepting = false;
  b.sim.evaluate('urgence.testAlarm()');
  b.sim.advance(5000);
  b.sim.powerCut();
  b.sim.advance(1000);
  b.accepting = true;
  b.powerOn();
  b.sim.advance(10_000);
  assert.is(b.ofType(MessageType.TestAlarm).length, 1);
  assert.is(b.ofType(MessageType.Alarm).length, 0);
});

test('a test alarm shows received, help coming, and closed returns it to idle', () => {
  const b = bench();
  b.sim.evaluate('urgence.testAlarm()');
  b.sim.advance(500);
  const ref = counterOf(b.ofType(MessageType.TestAlarm)[0]);
  const ack = (stage: 1 | 2 | 3): void => {
    b.gateway.send(
      sealMessage(sha256, p.id, p.key, { type: MessageType.Ack, ref, stage }),
    );
    b.sim.advance(500);
  };
  ack(AckStage.Received);
  assert.is(stageOf(b), 'received');
  ack(AckStage.HelpComing);
  assert.is(stageOf(b), 'helpComing');
  ack(AckStage.Closed);
  assert.is(stageOf(b), 'idle');
  assert.is(b.sim.journal.find('urgence.alm'), undefined);
});

test('a press during a test alarm raises a real alarm; a test during an alarm is refused', () => {
  const b = bench();
  b.sim.evaluate('urgence.testAlarm()');
  b.sim.advance(500);
  press(b);
  assert.is(b.ofType(MessageType.Alarm).length, 1);
  assert.is(b.sim.evaluate('urgence.testAlarm()'), false);
  b.sim.advance(500);
  assert.is(b.ofType(MessageType.TestAlarm).length, 1);
});

test('an alarm survives a dead gateway and a reboot, and is delivered once it is back', () => {
  const b = bench();
  b.accepting = false;
  press(b);
  b.sim.advance(20000);
  assert.is(b.ofType(MessageType.Alarm).length, 0);
  b.sim.evaluate('urgence.info()');
  assert.match(b.sim.output, /"link":"unreachable"/);
  b.sim.powerCut();
  b.sim.setWallClock(1_700_000_100);
  b.accepting = true;
  b.sim.powerOn();
  b.sim.advance(120000);
  assert.is(b.ofType(MessageType.Alarm).length, 1);
  const counters = b.messages().map(counterOf);
  assert.is(new Set(counters).size, counters.length, 'no counter used twice');
});

test('counters never repeat across reboots', () => {
  const b = bench();
  b.sim.advance(5 * 60000);
  b.sim.powerCut();
  b.sim.powerOn();
  b.sim.advance(5 * 60000);
  const counters = b.messages().map(counterOf);
  assert.is(new Set(counters).size, counters.length);
});

for (const [what, spoil] of [
  [
    'garbled',
    (b: PostBench, file: string) => b.sim.journal.write(file, Uint8Array.of(0x7b)),
  ],
  ['lost', (b: PostBench, file: string) => b.sim.journal.erase(file)],
] as const) {
  for (const file of ['urgence.ctr', 'urgence.ctr2']) {
    test(`a ${what} ${file} in flash never makes a counter repeat`, () => {
      const b = bench();
      b.sim.advance(70 * 60000); // over 64 counters: both copies rewritten since boot
      b.sim.powerCut();
      spoil(b, file);
      b.sim.powerOn();
      b.sim.advance(5 * 60000);
      const counters = b.messages().map(counterOf);
      assert.ok(counters.length > 70);
      assert.is(new Set(counters).size, counters.length, 'no counter used twice');
    });
  }
}

test('heartbeats arrive every 60 s', () => {
  const b = bench();
  b.sim.advance(10 * 60000);
  const beats = b.ofType(MessageType.Heartbeat).length;
  assert.ok(beats >= 10 && beats <= 12, `${beats} heartbeats in 10 minutes`);
});

test('tamper and low battery are reported as faults', () => {
  const b = bench();
  b.sim.pins.input(pins.tamper.pin, 1);
  b.setBatteryVolts(11.0);
  b.sim.advance(3000);
  const codes = b.ofType(MessageType.Fault).map((m) => (m as { fault: number }).fault);
  assert.ok(codes.includes(FaultCode.Tamper), 'tamper');
  assert.ok(codes.includes(FaultCode.LowBattery), 'low battery');
});

test('the watchdog is enabled in manual mode with the configured period and kicked', () => {
  const b = bench();
  const enabled = b.sim.watchdogState!;
  assert.equal(
    { timeoutMs: enabled.timeoutMs, manual: enabled.manual },
    { timeoutMs: postDefaults.watchdogSeconds * 1000, manual: true },
  );
  const kicks = enabled.kicks;
  b.sim.advance(60000);
  assert.ok(
    b.sim.watchdogState!.kicks - kicks >= 60000 / postDefaults.watchdogKickMs - 1,
    'kicked every watchdogKickMs',
  );
  assert.equal(b.sim.resets, []);
});

test('watchdogSeconds from urgence.json sets the watchdog period', () => {
  const b = new PostBench(bundle, { ...p, overrides: { watchdogSeconds: 30 } }).powerOn();
  assert.is(b.sim.watchdogState?.timeoutMs, 30000);
});

test('a hung post (no more kicks) is reset by the watchdog and boots again', () => {
  const b = bench();
  b.sim.evaluate('clearInterval()'); // every interval gone, the kick with them
  // The period runs from the last kick, at most watchdogKickMs before the hang.
  b.sim.advance(postDefaults.watchdogSeconds * 1000 - postDefaults.watchdogKickMs - 1);
  assert.equal(b.sim.resets, [], 'not before the period');
  b.sim.advance(postDefaults.watchdogKickMs + 1);
  assert.equal(
    b.sim.resets.map((reset) => reset.reason),
    ['watchdog'],
  );
  b.sim.advance(1000);
  assert.is(b.ofType(MessageType.Heartbeat).length, 2, 'heartbeat from the new boot');
  assert.is(b.sim.watchdogState?.manual, true, 'watchdog enabled again');
});

/** Amber changes in the next 2 s: the unreachable pattern flashes it several times. */
function amberFlashesNow(b: PostBench): boolean {
  const from = b.sim.clock.now();
  b.sim.advance(2000);
  return changesBetween(b, pins.ledCalling.pin, from, from + 2000) >= 6;
}

test('a post that cannot reach its gateway flashes its amber lamp', () => {
  const b = bench();
  b.accepting = false;
  // The next heartbeat goes out at 60 s; unreachable once no link ack for 15 s more.
  b.sim.advance(59000 + postDefaults.unreachableAfterMs - 3000);
  assert.is(amberFlashesNow(b), false, 'not before unreachableAfterMs');
  b.sim.advance(2000);
  assert.is(amberFlashesNow(b), true, 'fast flashing');
  b.accepting = true;
  b.sim.advance(70000);
  const later = b.sim.clock.now();
  b.sim.advance(2000);
  assert.is(changesBetween(b, pins.ledCalling.pin, later, later + 2000), 0, 'steady off');
});

test('unreachableAfterMs from urgence.json sets when the post shows unreachable', () => {
  const overrides = { unreachableAfterMs: 40000 };
  const b = new PostBench(bundle, { ...p, overrides }).powerOn();
  b.sim.advance(1000);
  b.accepting = false;
  b.sim.advance(59000 + postDefaults.unreachableAfterMs + 5000);
  assert.is(amberFlashesNow(b), false, 'the default would flash by now');
  b.sim.advance(40000 - postDefaults.unreachableAfterMs - 5000);
  assert.is(amberFlashesNow(b), true, 'flashing 40 s after the failed heartbeat');
});

test('an alarm closes the intercom relay for intercomPulseMs, on the ESP32 port too', () => {
  const b = bench();
  const start = b.sim.clock.now();
  press(b, 100);
  b.sim.advance(postDefaults.intercomPulseMs);
  const relay = b.sim.pins.changes(pins.intercomRelay.pin).filter((c) => c.atMs >= start);
  const levels = relay.map((c) =>
    pins.intercomRelay.activeHigh ? c.level : 1 - c.level,
  );
  assert.equal(levels, [1, 0], 'closed once, then open');
  assert.is(relay[1]!.atMs - relay[0]!.atMs, postDefaults.intercomPulseMs);
});

test('the intercom line shows a call in urgence.info()', () => {
  const b = bench();
  press(b);
  b.sim.pins.input(pins.intercomActive.pin, 0); // the SIP unit reports a call in progress
  b.sim.advance(2000);
  b.sim.evaluate('urgence.info()');
  assert.match(b.sim.output, /"inCall":true/);
  assert.match(b.sim.output, /intercom in call/);
});

test('bad provisioning stops start-up with one line naming the setting', () => {
  const b = new PostBench(bundle, { id: '0000002a', key: new Uint8Array(31) }).powerOn();
  b.sim.advance(120000);
  assert.match(b.sim.output, /^urgence\.json: key must be 64 lowercase hex digits\n/);
  assert.is(b.heard.length, 0);
  assert.equal(b.sim.uncaught, []);
});

test.run();
