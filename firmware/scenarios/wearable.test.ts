// Wearable scenarios on the BUILT bundle in the Espruino simulator: the test is the gateway's
// radio (it reads adverts and delivers ack adverts to the wearable's scan).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  AckStage,
  FaultCode,
  MessageType,
  encodeWearableAck,
  rotatingId,
  windowOf,
} from '@urgence/protocol';
import type { DeviceMessage } from '@urgence/protocol';
import { wearableDefaults } from '../src/config/defaults';
import { Radio } from '../sim';
import type { Advert } from '../sim';
import { BOOT_UNIX, WearableBench, bundleOf, sha256 } from './harness';

const p = { id: '0000007b', key: new Uint8Array(32).fill(0x21) };
let bundle = '';

test.before(async () => {
  bundle = await bundleOf('wearable');
});

function bench(): WearableBench {
  const b = new WearableBench(bundle, p).powerOn();
  b.sim.advance(wearableDefaults.supervisionBurstMs);
  return b;
}

function messages(b: WearableBench): DeviceMessage[] {
  return b.messages();
}

function alarms(b: WearableBench): DeviceMessage[] {
  return messages(b).filter((m) => m.type === MessageType.Alarm);
}

function nowWindow(b: WearableBench): number {
  return windowOf(Math.floor(b.sim.seconds()));
}

function triplePress(b: WearableBench): void {
  for (let i = 0; i < 3; i++) {
    b.sim.hold(100);
    b.sim.advance(200);
  }
}

/**
 * Adverts that could follow the wearer: anything connectable, named (AD type 0x09), from
 * the factory address, or not one of our frames. Espruino's boot advert is all four.
 */
function staticAdverts(b: WearableBench): Advert[] {
  return b.sim.radio.history.filter(
    (a) =>
      a.connectable ||
      hasNameField(a.packet) ||
      a.address === Radio.factoryAddress ||
      a.manufacturer !== 0xffff,
  );
}

function hasNameField(packet: Uint8Array): boolean {
  for (let at = 0; at + 1 < packet.length; at += packet[at]! + 1) {
    if (packet[at + 1] === 0x09) return true;
  }
  return false;
}

test('the boot advert is replaced at once: nothing static is on air after a boot', () => {
  const b = new WearableBench(bundle, p);
  b.powerOn();
  const boot = b.sim.radio.history[0]!;
  assert.ok(
    boot.connectable && hasNameField(boot.packet),
    'the sim sent the boot advert',
  );
  assert.is.not(b.sim.radio.current, boot, 'replaced before any time passed');
  assert.is(b.sim.radio.current?.manufacturer, 0xffff, 'our heartbeat is on air instead');
  b.sim.advance(wearableDefaults.supervisionBurstMs);
  assert.is(b.sim.radio.current, undefined, 'then the radio rests');
  assert.equal(staticAdverts(b), [boot]);
});

test('after a watchdog reset the boot advert is replaced at once too', () => {
  const b = bench();
  b.sim.evaluate('clearInterval()'); // a hang: nothing kicks the watchdog any more
  b.sim.advance(wearableDefaults.watchdogSeconds * 1000 + 1);
  assert.is(b.sim.resets.at(-1)?.reason, 'watchdog');
  const boots = staticAdverts(b);
  assert.is(boots.length, 2, 'one boot advert per boot');
  assert.is.not(b.sim.radio.current, boots[1]);
  b.sim.advance(wearableDefaults.supervisionBurstMs);
  assert.is(b.sim.radio.current, undefined);
  assert.is(staticAdverts(b).length, 2);
});

test('a wearable with a bad urgence.json sends nothing either', () => {
  const b = new WearableBench(bundle, { ...p, overrides: { noSuchSetting: 1 } });
  b.powerOn();
  assert.match(b.sim.output, /noSuchSetting/);
  assert.is(b.sim.radio.current, undefined);
  b.sim.advance(60000);
  assert.is(b.sim.radio.history.length, 1, 'only the boot advert, stopped at once');
});

test('boots without an uncaught error and is silent after its supervision burst', () => {
  const b = bench();
  assert.equal(b.sim.uncaught, []);
  assert.is(messages(b)[0]?.type, MessageType.Heartbeat);
  assert.is(b.sim.radio.current, undefined);
});

test('a 2 s hold raises the alarm after the 5 s pre-alarm, advertised at 100 ms', () => {
  const b = bench();
  b.sim.hold(2100);
  b.sim.advance(4000);
  assert.is(alarms(b).length, 0, 'nothing during the pre-alarm');
  b.sim.advance(1500);
  assert.is(alarms(b).length, 1);
  assert.is(b.frames().at(-1)!.intervalMs, 100);
});

test('three presses within 1.5 s raise the alarm', () => {
  const b = bench();
  triplePress(b);
  b.sim.advance(6000);
  assert.is(alarms(b).length, 1);
});

test('one press during the pre-alarm cancels: no alarm goes on air', () => {
  const b = bench();
  b.sim.hold(2100);
  b.sim.advance(1000);
  b.sim.hold(100);
  b.sim.advance(60000);
  assert.is(alarms(b).length, 0);
});

test('the alarm slows down after the fast phase', () => {
  const b = bench();
  triplePress(b);
  b.sim.advance(6000 + wearableDefaults.fastPhaseMs);
  assert.is(b.sim.radio.current?.intervalMs, wearableDefaults.slowAdvertMs);
});

test('a forged ack is ignored and a valid ack stops the alarm', () => {
  const b = bench();
  triplePress(b);
  b.sim.advance(6000);
  const counter = (alarms(b)[0] as { counter: number }).counter;
  const ack = (key: Uint8Array) =>
    b.sim.radio.deliver({
      manufacturer: 0xffff,
      manufacturerData: encodeWearableAck(sha256, key, nowWindow(b), {
        type: MessageType.Ack,
        ref: counter,
        stage: AckStage.Received,
      }),
    });
  const apple = { manufacturer: 0x004c, manufacturerData: new Uint8Array(24) };
  assert.is(b.sim.radio.deliver(apple), false, 'other companies are filtered before JS');
  assert.ok(ack(new Uint8Array(32).fill(0x22)), 'the wearable is scanning');
  b.sim.advance(1000);
  assert.ok(b.sim.radio.current !== undefined, 'still advertising after a forged ack');
  ack(p.key);
  b.sim.advance(1000);
  assert.is(b.sim.radio.current, undefined);
  assert.is(b.sim.radio.scanning, false);
  assert.is(b.sim.level('D4'), 1, 'green LED tells the wearer help is acknowledged');
});

test('urgence.testAlarm() advertises a TestAlarm at once (no pre-alarm) until a valid ack', () => {
  const b = bench();
  assert.is(b.sim.evaluate('urgence.testAlarm()'), true);
  b.sim.advance(500);
  const tests = messages(b).filter((m) => m.type === MessageType.TestAlarm);
  assert.is(tests.length, 1);
  assert.is(alarms(b).length, 0);
  assert.is(b.sim.evaluate('urgence.testAlarm()'), false, 'one test at a time');
  b.sim.radio.deliver({
    manufacturer: 0xffff,
    manufacturerData: encodeWearableAck(sha256, p.key, nowWindow(b), {
      type: MessageType.Ack,
      ref: (tests[0] as { counter: number }).counter,
      stage: AckStage.Received,
    }),
  });
  b.sim.advance(1000);
  assert.is(b.sim.radio.current, undefined);
});

test('a timing override in urgence.json takes effect in the built bundle', () => {
  const b = new WearableBench(bundle, {
    ...p,
    overrides: { preAlarmMs: 1000 },
  }).powerOn();
  b.sim.advance(wearableDefaults.supervisionBurstMs);
  b.sim.hold(2100);
  b.sim.advance(1500);
  assert.is(alarms(b).length, 1, 'alarm after a 1 s pre-alarm, not 5 s');
});

test('an unacknowledged alarm stops after 5 minutes', () => {
  const b = bench();
  triplePress(b);
  b.sim.advance(6000 + 300000);
  assert.is(b.sim.radio.current, undefined);
});

test('a reboot mid-alarm resumes it with its counter and never reuses a counter', () => {
  const b = bench();
  triplePress(b);
  b.sim.advance(10000);
  const counter = (alarms(b)[0] as { counter: number }).counter;
  b.sim.evaluate('E.reboot()');
  b.sim.settle();
  assert.is(b.sim.radio.current?.manufacturer, 0xffff, 'the alarm, not the boot advert');
  b.sim.advance(2000);
  const resumed = alarms(b).at(-1) as { counter: number };
  assert.is(resumed.counter, counter);
  assert.ok(b.sim.radio.current !== undefined, 'advertising again after the reboot');
  b.sim.advance(400000);
  triplePress(b);
  b.sim.advance(6000);
  assert.ok((alarms(b).at(-1) as { counter: number }).counter > counter);
});

test('supervision adverts come at least once every 24 h', () => {
  const b = bench();
  const before = messages(b).filter((m) => m.type === MessageType.Heartbeat).length;
  b.sim.advance(24 * 3600 * 1000);
  const after = messages(b).filter((m) => m.type === MessageType.Heartbeat).length;
  assert.ok(after - before >= 1);
});

test('id and address change together when the window turns during an alarm', () => {
  // Boot 627 s into a window: the alarm starts ~130 s before the boundary.
  const b = new WearableBench(bundle, p, BOOT_UNIX + 527).powerOn();
  b.sim.advance(wearableDefaults.supervisionBurstMs);
  triplePress(b);
  b.sim.advance(6000);
  const first = b.frames().at(-1)!;
  const window = nowWindow(b);
  b.sim.advance((window + 1) * 900 * 1000 - b.sim.seconds() * 1000 + 1000);
  const second = b.frames().at(-1)!;
  assert.is(nowWindow(b), window + 1);
  assert.is.not(first.address, second.address);
  assert.equal([...first.data.subarray(1, 9)], [...rotatingId(sha256, p.key, window)]);
  assert.equal(
    [...second.data.subarray(1, 9)],
    [...rotatingId(sha256, p.key, window + 1)],
  );
  assert.is(
    (alarms(b).at(-1) as { counter: number }).counter,
    (alarms(b)[0] as { counter: number }).counter,
  );
});

test('over 100 windows, rotating ids and addresses on air share no bytes beyond chance', () => {
  const overrides = { supervisionEveryMs: 900000 };
  const b = new WearableBench(bundle, { ...p, overrides }).powerOn();
  b.sim.advance(101 * 900 * 1000);
  const byWindow = new Map<number, { id: number[]; address: number[] }>();
  for (const f of b.frames()) {
    const window = windowOf(Math.floor(f.atMs / 1000 + BOOT_UNIX));
    const address = f.address
      .split(' ')[0]!
      .split(':')
      .map((h) => parseInt(h, 16));
    address[0] = address[0]! & 0x3f; // the two top bits are fixed by the spec
    byWindow.set(window, { id: [...f.data.subarray(1, 9)], address });
  }
  const windows = [...byWindow.keys()].sort((x, y) => x - y);
  assert.ok(windows.length >= 100, `${windows.length} windows heard`);
  let same = 0;
  let total = 0;
  for (let i = 1; i < windows.length; i++) {
    const a = byWindow.get(windows[i - 1]!)!;
    const c = byWindow.get(windows[i]!)!;
    const before = [...a.id, ...a.address];
    const after = [...c.id, ...c.address];
    for (let k = 0; k < before.length; k++, total++) if (before[k] === after[k]) same++;
  }
  // Chance is ~1/256 per byte (1/64 for the address's top byte): 14 bytes x 100 pairs
  // gives ~6 expected; 3 % (~42) would mean something static leaks.
  assert.ok(same / total < 0.03, `${same} of ${total} bytes equal between windows`);
});

// Positions of the 31-byte advert that are the same for every wearable: flags AD (0-2),
// manufacturer AD length and type (3-4), company id (5-6), frame header (7), event (20).
const FIXED_ADVERT_BYTES = [0, 1, 2, 3, 4, 5, 6, 7, 20];

/** Most copies of one value in a column (bytes at one position, one per window). */
function mostRepeated(column: number[]): number {
  const counts = new Array<number>(256).fill(0);
  for (const v of column) counts[v]! += 1;
  return Math.max(...counts);
}

test('over 100 windows no advert byte but the fixed ones repeats beyond chance', () => {
  // One heartbeat per window: the counter rises by exactly one each window and the battery
  // stays the same, the easiest wearable to follow if anything leaks.
  const overrides = { supervisionEveryMs: 900000 };
  const b = new WearableBench(bundle, { ...p, overrides }).powerOn();
  b.sim.advance(101 * 900 * 1000);
  const firstOfWindow = new Map<number, { packet: number[]; counter: number }>();
  const heard = b.frames();
  const messages = b.messages();
  heard.forEach((f, i) => {
    const window = b.windowOfFrame(f);
    if (firstOfWindow.has(window)) return;
    const address = f.address.split(' ')[0]!.split(':').slice(1);
    const packet = [...f.packet, ...address.map((h) => parseInt(h, 16))];
    firstOfWindow.set(window, {
      packet,
      counter: (messages[i] as { counter: number }).counter,
    });
  });
  const windows = [...firstOfWindow.keys()].sort((x, y) => x - y).slice(0, 100);
  assert.is(windows.length, 100);
  const rows = windows.map((w) => firstOfWindow.get(w)!);
  assert.is(rows[0]!.packet.length, 31 + 5, 'advert + address bytes 1..5');
  for (let i = 1; i < rows.length; i++) {
    assert.is(rows[i]!.counter, rows[i - 1]!.counter + 1, 'counter rises by one');
  }
  // Null hypothesis: each free byte is uniform and independent across windows; then so are
  // the differences between consecutive windows (the map x -> (x1, x2-x1, ...) is a
  // bijection). P(some value appears >= 7 times among 100 uniform bytes) <= 256 * C(100,7)
  // / 256^7 = 5.7e-5; over 27 positions x 2 statistics (values, differences) the test
  // fails by chance with probability < 0.4 %. A static byte repeats 100 times; a counter's
  // low byte rising by one repeats its difference 99 times.
  for (let pos = 0; pos < rows[0]!.packet.length; pos++) {
    if (FIXED_ADVERT_BYTES.includes(pos)) continue;
    const column = rows.map((r) => r.packet[pos]!);
    const steps = column.slice(1).map((v, i) => (v - column[i]! + 256) % 256);
    assert.ok(mostRepeated(column) <= 6, `byte ${pos}: a value repeats`);
    assert.ok(mostRepeated(steps) <= 6, `byte ${pos}: a step between windows repeats`);
  }
});

test('a low battery is advertised as a fault', () => {
  const b = new WearableBench(bundle, p);
  b.sim.battery.volts = 2.4;
  b.powerOn();
  b.sim.advance(1000);
  const faults = messages(b).filter((m) => m.type === MessageType.Fault);
  assert.is(faults.length, 1);
  assert.is((faults[0] as { fault: number }).fault, FaultCode.LowBattery);
});

test('urgence.info() prints one JSON line for the CLI', () => {
  const b = bench();
  const start = b.sim.output.length;
  b.sim.evaluate('urgence.info()');
  const line = b.sim.output.slice(start).trim();
  const info = JSON.parse(line) as Record<string, unknown>;
  assert.is(info.id, p.id);
  assert.is(info.kind, 'wearable');
  assert.is(typeof info.version, 'string');
  assert.is(typeof info.counter, 'number');
  assert.is(typeof info.storageFree, 'number');
});

test.run();
