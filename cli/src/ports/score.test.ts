import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { PortInfo } from './port-info';
import { PortScore } from './fingerprints';
import { pickPort, rankPorts, scorePort } from './score';

function port(
  path: string,
  vendorId?: string,
  productId?: string,
  manufacturer?: string,
) {
  const info: PortInfo = {
    path,
    manufacturer,
    vendorId,
    productId,
  };
  return info;
}

// A technician's laptop with a CP2102 ESP32 board, an FTDI RS-485 adapter, the built-in
// UART and a phone: fixture shaped like what udevadm reports.
const laptop = [
  port('/dev/ttyS0'),
  port('/dev/ttyUSB1', '0403', '6001', 'FTDI'),
  port('/dev/ttyACM0', '22b8', '2e82', 'Motorola'),
  port('/dev/ttyUSB0', '10C4', 'EA60', 'Silicon Labs'),
];

test('an ESP32 with native USB outranks every bridge chip', () => {
  const ranked = rankPorts([
    ...laptop,
    port('/dev/ttyACM1', '303a', '1001', 'Espressif'),
  ]);
  assert.is(ranked[0]?.path, '/dev/ttyACM1');
  assert.is(ranked[0]?.score, PortScore.Device);
  assert.is(ranked[0]?.kind, 'post');
});

test('bridge chips come before unknown USB devices and on-board UARTs', () => {
  const ranked = rankPorts(laptop).map((p) => p.path);
  assert.equal(ranked, ['/dev/ttyUSB0', '/dev/ttyUSB1', '/dev/ttyACM0', '/dev/ttyS0']);
});

test('an exact product fingerprint wins over the vendor-wide one', () => {
  assert.is(scorePort(port('/dev/ttyUSB0', '1a86', '55d4')).description, 'WCH CH9102');
  assert.is(
    scorePort(port('/dev/ttyUSB0', '1a86', 'ffff')).description,
    'WCH USB-serial',
  );
});

test('a board naming itself Espruino scores as a device whatever its ids', () => {
  const ranked = scorePort(port('/dev/ttyACM3', 'abcd', '0001', 'Espruino.com'));
  assert.is(ranked.score, PortScore.Device);
});

test('vendor and product ids are compared without regard to case', () => {
  assert.is(
    scorePort(port('/dev/ttyUSB0', '10C4', 'EA60')).score,
    PortScore.SerialBridge,
  );
});

test('the port is picked automatically only when one candidate stands out', () => {
  assert.is(pickPort(rankPorts(laptop))?.path, undefined, 'CP210x and FTDI tie');
  const alone = rankPorts([port('/dev/ttyS0'), port('/dev/ttyUSB0', '10c4', 'ea60')]);
  assert.is(pickPort(alone)?.path, '/dev/ttyUSB0');
});

test('no port is picked when only unknown ports exist', () => {
  assert.is(
    pickPort(rankPorts([port('/dev/ttyS0'), port('/dev/ttyACM0', '22b8')])),
    undefined,
  );
});

test.run();
