// The radio enforces the legacy advertising limits and hands scan results to the bundle.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SimDevice } from './device';

const device = (source: string): SimDevice => {
  const sim = new SimDevice();
  sim.powerOn(source);
  return sim;
};
const advertise = (extra: string): string =>
  'NRF.setAdvertising({}, { showName: false, manufacturer: 0xffff,' +
  ' manufacturerData: new Uint8Array(24), ' +
  extra +
  ' });';

test('a 24-byte manufacturer frame without a name fills the 31-byte advert exactly', () => {
  const sim = device(advertise('interval: 100, connectable: false'));
  assert.is(sim.radio.current?.packet.length, 31);
  assert.is(sim.radio.current?.manufacturerData?.length, 24);
});

test('an advert over 31 bytes throws, as the SoftDevice refuses it', () => {
  const sim = device('');
  assert.throws(
    () => sim.evaluate(advertise('showName: true, interval: 100, connectable: false')),
    /DATA_SIZE/,
  );
  assert.is(sim.radio.current, undefined);
});

test('a non-connectable advert faster than 100 ms is refused', () => {
  const sim = device('');
  assert.throws(() => sim.evaluate(advertise('interval: 50, connectable: false')), /100/);
});

test('a random address must be a random static one (two top bits set)', () => {
  const sim = device('NRF.setAddress("c1:02:03:04:05:06 random");');
  assert.is(sim.evaluate('NRF.getAddress()'), 'c1:02:03:04:05:06 random');
  assert.throws(
    () => sim.evaluate('NRF.setAddress("41:02:03:04:05:06 random")'),
    /INVALID/,
  );
});

test('scan results reach the callback with manufacturer data as an ArrayBuffer', () => {
  const sim = device(
    'var got; NRF.setScan(function (d) { got = new Uint8Array(d.manufacturerData); },' +
      ' { filters: [{ manufacturerData: { 0xffff: {} } }] });',
  );
  assert.ok(
    sim.radio.deliver({ manufacturer: 0xffff, manufacturerData: Uint8Array.of(1, 2) }),
  );
  assert.is(sim.evaluate('got.join()'), '1,2');
});

test('scan results of another company are filtered out', () => {
  const sim = device(
    'var n = 0; NRF.setScan(function () { n++; }, { filters: [{ manufacturerData: { 0xffff: {} } }] });',
  );
  assert.is(
    sim.radio.deliver({ manufacturer: 0x004c, manufacturerData: Uint8Array.of(1) }),
    false,
  );
  assert.is(sim.evaluate('n'), 0);
});

test('an advert set while asleep goes on air only at wake()', () => {
  const sim = device('NRF.sleep();' + advertise('interval: 100, connectable: false'));
  assert.is(sim.radio.current, undefined);
  sim.evaluate('NRF.wake()');
  assert.is(sim.radio.current?.manufacturerData?.length, 24);
});

test('wake() after sleep() resumes the last advert', () => {
  const sim = device(
    advertise('interval: 100, connectable: false') + 'NRF.sleep(); NRF.wake();',
  );
  assert.is(sim.radio.history.length, 2);
  assert.equal(sim.radio.history[1]!.packet, sim.radio.history[0]!.packet);
});

test('a Puck.js advertises its name from power-on until the firmware changes it', () => {
  const sim = new SimDevice({ bootAdvert: true });
  sim.powerOn('');
  assert.is(sim.radio.current?.connectable, true);
  assert.match(Buffer.from(sim.radio.current!.packet).toString('latin1'), /Puck\.js/);
});

test('nothing is delivered once scanning stops', () => {
  const sim = device('NRF.setScan(function () {}); NRF.setScan();');
  assert.is(
    sim.radio.deliver({ manufacturer: 0xffff, manufacturerData: Uint8Array.of(1) }),
    false,
  );
});

test('serial bytes written by the bundle are collected and fed bytes arrive as a string', () => {
  const sim = device(
    'var got = ""; Serial2.setup(115200); Serial2.on("data", function (d) { got += d; });' +
      ' Serial2.write([1, 2, 255]);',
  );
  assert.equal([...sim.uart('Serial2').take()], [1, 2, 255]);
  sim.uart('Serial2').feed(Uint8Array.of(0x41, 0x00, 0xfe));
  assert.is(sim.evaluate('got.length + ":" + got.charCodeAt(2)'), '3:254');
});

test.run();
