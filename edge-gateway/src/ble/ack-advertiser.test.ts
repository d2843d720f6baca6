import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pino } from 'pino';
import { COMPANY_ID, WEARABLE_FRAME_BYTES } from '@urgence/protocol';
import { fakeClock } from '../testing/fake-clock';
import type { FakeClock } from '../testing/fake-clock';
import { FakeBlenoBindings } from '../testing/fake-bleno';
import {
  blenoAdvertiserOver,
  eirWithManufacturerData,
  hciDeviceId,
} from './ack-advertiser';

// Real bleno (its Bleno class) runs above the fake bindings in every test here: only the
// HCI socket and the controller behind it are simulated.

let clock: FakeClock;
let logLines: { level: number; msg: string; state?: string; err?: string }[];
const log = () =>
  pino(
    { level: 'info' },
    { write: (line: string) => void logLines.push(JSON.parse(line)) },
  );
const warnings = () => logLines.filter((line) => line.level === 40).map((l) => l.msg);
const errors = () => logLines.filter((line) => line.level === 50);

test.before.each(() => {
  clock = fakeClock(0);
  logLines = [];
});
test.after.each(() => clock.restore());

/** Company id as the router writes it, then a 24-byte ack frame filled with `fill`. */
const ack = (fill: number) => {
  const manufacturerData = Buffer.alloc(2 + WEARABLE_FRAME_BYTES, fill);
  manufacturerData.writeUInt16LE(COMPANY_ID, 0);
  return manufacturerData;
};
/** The first byte of the ack frame in an advert: 3 of flags, 2 of AD header, 2 of id. */
const frameByte = (eir: Buffer) => eir[7];

/** Lets the fake adapter's pending events (state, advertising start/stop) reach bleno. */
const adapterAnswers = () => new Promise((resolve) => setImmediate(resolve));

async function poweredAdvertiser(state: 'poweredOn' | 'poweredOff' = 'poweredOn') {
  const bindings = new FakeBlenoBindings(state, clock.now);
  const advertiser = await blenoAdvertiserOver(bindings, log(), clock);
  await adapterAnswers();
  return { bindings, advertiser };
}

test('an ack advert is the flags plus manufacturer data, 31 bytes in all', () => {
  const eir = eirWithManufacturerData(ack(0x11));
  assert.is(eir.length, 31);
  assert.equal([...eir.subarray(0, 5)], [0x02, 0x01, 0x06, 27, 0xff]);
});

test('the radio gets flags + manufacturer data 0xFFFF + the ack frame', async () => {
  const { bindings, advertiser } = await poweredAdvertiser();
  const frame = Buffer.from([...Array(24).keys()].map((i) => 0xa0 + i));
  await advertiser.advertise(Buffer.concat([Buffer.from([0xff, 0xff]), frame]), 5000);
  const expected = Buffer.concat([
    Buffer.from([0x02, 0x01, 0x06]), // flags: LE general discoverable, no BR/EDR
    Buffer.from([27, 0xff, 0xff, 0xff]), // 27 bytes of manufacturer data, company 0xFFFF
    frame,
  ]);
  assert.is(bindings.adverts.length, 1);
  assert.equal(bindings.adverts[0].eir, expected);
  assert.is(bindings.adverts[0].eir.length, 31, 'a legacy advert holds 31 bytes');
  await advertiser.stop();
});

test('the advertiser listens for state changes, which is what starts bleno', async () => {
  const bindings = new FakeBlenoBindings('poweredOn', clock.now);
  await blenoAdvertiserOver(bindings, log(), clock);
  assert.is(bindings.inits, 1, 'bleno opened its bindings');
  await adapterAnswers();
  assert.equal(logLines.at(-1)?.state, 'poweredOn');
});

test('an ack stays on air for its duration, then advertising stops', async () => {
  const { bindings, advertiser } = await poweredAdvertiser();
  await advertiser.advertise(ack(0x11), 3000);
  assert.ok(bindings.onAir);
  await clock.tickAsync(2900);
  assert.ok(bindings.onAir, 'still on air before its time is up');
  await clock.tickAsync(200);
  assert.is(bindings.onAir, undefined);
});

test('several due acks take turns on air, one second each', async () => {
  const { bindings, advertiser } = await poweredAdvertiser();
  await advertiser.advertise(ack(0x11), 10_000);
  await advertiser.advertise(ack(0x22), 10_000);
  await clock.tickAsync(3500);
  const turns = bindings.adverts.map(({ eir, at }) => [frameByte(eir), at]);
  assert.equal(turns.slice(0, 4), [
    [0x11, 0],
    [0x22, 1000],
    [0x11, 2000],
    [0x22, 3000],
  ]);
  await advertiser.stop();
});

test('an ack whose time is up leaves the turns to the ones still due', async () => {
  const { bindings, advertiser } = await poweredAdvertiser();
  await advertiser.advertise(ack(0x11), 2500);
  await advertiser.advertise(ack(0x22), 10_000);
  await clock.tickAsync(6000);
  const late = bindings.adverts
    .filter(({ at }) => at >= 2500)
    .map((a) => frameByte(a.eir));
  assert.ok(late.length >= 3);
  assert.ok(
    late.every((byte) => byte === 0x22),
    'the expired ack is not sent again',
  );
  await advertiser.stop();
});

test('an adapter that is not powered on sends nothing and logs a warning', async () => {
  const { bindings, advertiser } = await poweredAdvertiser('poweredOff');
  await advertiser.advertise(ack(0x11), 3000);
  assert.is(bindings.adverts.length, 0);
  assert.equal(warnings(), ['ble adapter not ready: wearable ack not sent']);
  assert.is(logLines.find((line) => line.level === 40)?.state, 'poweredOff');
  await advertiser.stop();
});

test('an ack due while the adapter is off goes on air once it powers on', async () => {
  const { bindings, advertiser } = await poweredAdvertiser('poweredOff');
  await advertiser.advertise(ack(0x11), 5000);
  bindings.powerOn();
  await adapterAnswers();
  await clock.tickAsync(1000);
  assert.equal(
    bindings.adverts.map(({ eir, at }) => [frameByte(eir), at]),
    [[0x11, 1000]],
  );
  await advertiser.stop();
});

test('an advert the controller refuses is logged; the next turn retries', async () => {
  const { bindings, advertiser } = await poweredAdvertiser();
  bindings.refuseNextAdvert('Command Disallowed');
  await advertiser.advertise(ack(0x11), 5000);
  assert.is(bindings.adverts.length, 0);
  assert.equal(
    errors().map((line) => [line.msg, line.err]),
    [['wearable ack advert failed', 'Command Disallowed']],
  );
  await clock.tickAsync(1000);
  assert.equal(
    bindings.adverts.map((a) => a.at),
    [1000],
  );
  await advertiser.stop();
});

test('stop takes the ack off air and no turn follows', async () => {
  const { bindings, advertiser } = await poweredAdvertiser();
  await advertiser.advertise(ack(0x11), 10_000);
  await advertiser.stop();
  assert.is(bindings.onAir, undefined);
  await clock.tickAsync(5000);
  assert.is(bindings.adverts.length, 1);
});

test('adapter names map to HCI device ids', () => {
  assert.is(hciDeviceId(undefined), 0);
  assert.is(hciDeviceId('hci1'), 1);
  assert.throws(() => hciDeviceId('bluetooth0'), RangeError);
});

test.run();
