import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseConfig } from './config';

const minimal = {
  gatewayId: 'gw-001',
  broker: { url: 'mqtt://127.0.0.1:1883', secret: 's3cret' },
  outbox: { dir: '/var/lib/urgence/outbox' },
};

function settingOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error.setting;
    throw error;
  }
  return undefined;
}

test('a minimal file gets the documented defaults', () => {
  const config = parseConfig(minimal);
  assert.is(config.broker.username, 'gw-001');
  assert.is(config.heartbeat.missedBeforeFault, 3);
  assert.is(config.telemetryIntervalMs, 30_000);
  assert.is(config.ble.enabled, false);
  assert.equal(config.serial, []);
});

test('environment variables override the file', () => {
  const config = parseConfig(minimal, {
    URGENCE_GATEWAY_SECRET: 'from-env',
    URGENCE_SERIAL_PORTS: '/dev/ttyUSB0:9600,/dev/ttyUSB1',
    URGENCE_BLE: 'on',
  });
  assert.is(config.broker.secret, 'from-env');
  assert.equal(config.serial, [
    { path: '/dev/ttyUSB0', baudRate: 9600 },
    { path: '/dev/ttyUSB1', baudRate: 115200 },
  ]);
  assert.is(config.ble.enabled, true);
});

test('a missing secret is named in the error', () => {
  const setting = settingOf(() =>
    parseConfig({ ...minimal, broker: { url: 'mqtt://h' } }),
  );
  assert.is(setting, 'broker.secret');
});

test('a gateway id outside the contract alphabet is refused', () => {
  assert.is(
    settingOf(() => parseConfig({ ...minimal, gatewayId: 'GW 1' })),
    'gatewayId',
  );
});

test('a bad baud rate names the port entry', () => {
  const serial = [{ path: '/dev/ttyUSB0', baudRate: 'fast' }];
  assert.is(
    settingOf(() => parseConfig({ ...minimal, serial })),
    'serial[0].baudRate',
  );
});

test('an unreadable CA file stops start-up', () => {
  const broker = { ...minimal.broker, caFile: '/nonexistent/ca.pem' };
  assert.is(
    settingOf(() => parseConfig({ ...minimal, broker })),
    'broker.caFile',
  );
});

test('a BLE adapter that is not an HCI name is refused', () => {
  const ble = { enabled: true, adapter: 'bluetooth' };
  assert.is(
    settingOf(() => parseConfig({ ...minimal, ble })),
    'ble.adapter',
  );
});

test('the error message is one line naming the setting', () => {
  try {
    parseConfig({ ...minimal, broker: { url: 'http://x', secret: 'a' } });
    assert.unreachable();
  } catch (error) {
    assert.match((error as Error).message, /^config: broker\.url: [^\n]+$/);
  }
});

test('a misspelt setting is refused in one line naming it', () => {
  const error = (() => {
    try {
      parseConfig({ ...minimal, outbox: { dir: '/var/lib/urgence', maxByte: 1 << 20 } });
    } catch (e) {
      return e as ConfigError;
    }
  })();
  assert.is(error?.setting, 'outbox.maxByte');
  assert.is(error?.message.split('\n').length, 1);
  assert.match(
    error?.message ?? '',
    /unknown setting \(known: dir, maxBytes, inFlight\)/,
  );
});

test('unknown keys are named at the top level and in a serial port entry', () => {
  assert.is(
    settingOf(() => parseConfig({ ...minimal, loglevel: 'debug' })),
    'loglevel',
  );
  const serial = [{ path: '/dev/ttyUSB0' }, { path: '/dev/ttyUSB1', baud: 9600 }];
  assert.is(
    settingOf(() => parseConfig({ ...minimal, serial })),
    'serial[1].baud',
  );
});

test('every documented setting is accepted', () => {
  const config = parseConfig({
    gatewayId: 'gw-001',
    broker: {
      url: 'mqtt://127.0.0.1:1883',
      username: 'gw-001',
      secret: 's',
      reconnectMinMs: 500,
      reconnectMaxMs: 5000,
    },
    serial: [{ path: '/dev/ttyUSB0', baudRate: 57600 }],
    ble: { enabled: false, adapter: 'hci1' },
    outbox: { dir: '/var/lib/urgence/outbox', maxBytes: 1 << 20, inFlight: 8 },
    heartbeat: { postIntervalMs: 30_000, missedBeforeFault: 4 },
    telemetryIntervalMs: 10_000,
    wearableAckMs: 5000,
    logLevel: 'debug',
  });
  assert.is(config.outbox.inFlight, 8);
  assert.is(config.heartbeat.missedBeforeFault, 4);
});

test('a file that is not JSON is reported against --config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'urgence-config-'));
  try {
    writeFileSync(join(dir, 'gw.json'), '{ nope');
    assert.is(
      settingOf(() => loadConfig(join(dir, 'gw.json'), {})),
      '--config',
    );
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test.run();
