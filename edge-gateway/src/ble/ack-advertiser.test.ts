import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pino } from 'pino';
import { fakeClock } from '../testing/fake-clock';
import type { FakeClock } from '../testing/fake-clock';
import {
  BlenoAckAdvertiser,
  eirWithManufacturerData,
  hciDeviceId,
} from './ack-advertiser';
import type { BlenoLike } from './ack-advertiser';

class FakeBleno implements BlenoLike {
  state = 'poweredOn';
  stateListeners = 0;
  on(): this {
    this.stateListeners++;
    return this;
  }
  onAir: Buffer | undefined;
  history: string[] = [];
  async startAdvertisingWithEIRDataAsync(eir: Buffer): Promise<void> {
    this.onAir = eir;
    this.history.push(eir.subarray(7, 8).toString('hex'));
  }
  async stopAdvertisingAsync(): Promise<void> {
    this.onAir = undefined;
    this.history.push('stop');
  }
  stop(): void {}
}

let clock: FakeClock;
test.before.each(() => {
  clock = fakeClock(0);
});
test.after.each(() => clock.restore());

const ack = (fill: number) =>
  Buffer.concat([Buffer.from([0xff, 0xff]), Buffer.alloc(24, fill)]);

test('an ack advert is the flags plus manufacturer data, 31 bytes in all', () => {
  const eir = eirWithManufacturerData(ack(0x11));
  assert.is(eir.length, 31);
  assert.equal([...eir.subarray(0, 5)], [0x02, 0x01, 0x06, 27, 0xff]);
});

test('the advertiser listens for state changes, which is what starts bleno', () => {
  const bleno = new FakeBleno();
  new BlenoAckAdvertiser(bleno, pino({ level: 'silent' }), clock);
  assert.is(bleno.stateListeners, 1);
});

test('an ack stays on air for its duration, then advertising stops', async () => {
  const bleno = new FakeBleno();
  const advertiser = new BlenoAckAdvertiser(bleno, pino({ level: 'silent' }), clock);
  await advertiser.advertise(ack(0x11), 3000);
  assert.ok(bleno.onAir);
  await clock.tickAsync(2900);
  assert.ok(bleno.onAir, 'still on air before its time is up');
  await clock.tickAsync(200);
  assert.is(bleno.onAir, undefined);
});

test('several due acks take turns on air', async () => {
  const bleno = new FakeBleno();
  const advertiser = new BlenoAckAdvertiser(bleno, pino({ level: 'silent' }), clock);
  await advertiser.advertise(ack(0x11), 10_000);
  await advertiser.advertise(ack(0x22), 10_000);
  await clock.tickAsync(3500);
  assert.equal(bleno.history.slice(0, 4), ['11', '22', '11', '22']);
  await advertiser.stop();
});

test('adapter names map to HCI device ids', () => {
  assert.is(hciDeviceId(undefined), 0);
  assert.is(hciDeviceId('hci1'), 1);
  assert.throws(() => hciDeviceId('bluetooth0'), RangeError);
});

test.run();
