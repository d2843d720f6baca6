import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';

let folder = '';

test.before.each(() => {
  folder = mkdtempSync(join(tmpdir(), 'urgence-config-'));
});

test.after.each(() => {
  rmSync(folder, { recursive: true, force: true });
});

function writeConfig(settings: unknown): string {
  const path = join(folder, 'broker.json');
  writeFileSync(path, JSON.stringify(settings));
  return path;
}

function settingRefused(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error.setting;
    throw error;
  }
  return undefined;
}

test('without file or environment the embedded defaults apply', () => {
  const config = loadConfig({ env: {} });
  assert.is(config.mqtt.port, 1883);
  assert.is(config.tls.port, 8883);
  assert.is(config.ws.enabled, false);
  assert.is(config.limits.maxPacketBytes, 16 * 1024);
  assert.ok(config.registryPath.endsWith(join('.data', 'broker', 'registry.sqlite')));
});

test('the file overrides defaults and the environment overrides the file', () => {
  const file = writeConfig({ mqtt: { port: 11883 }, dataDir: folder });
  const config = loadConfig({
    file,
    env: { URGENCE_MQTT_PORT: '21883', URGENCE_WS: 'on' },
  });
  assert.is(config.mqtt.port, 21883);
  assert.is(config.mqtt.host, '0.0.0.0');
  assert.is(config.ws.enabled, true);
  assert.is(config.registryPath, join(folder, 'registry.sqlite'));
});

test('supervision settings come from the file and the environment', () => {
  const file = writeConfig({
    supervision: { postHeartbeatMs: 2_000, checkPeriodMs: 500 },
  });
  const config = loadConfig({
    file,
    env: {
      URGENCE_SUPERVISION_REPORT_MS: '5000',
      URGENCE_WEARABLE_DEADLINE_MS: '60000',
      URGENCE_GATEWAY_GRACE_MS: '1000',
    },
  });
  assert.equal(config.supervision, {
    postHeartbeatMs: 2_000,
    wearableDeadlineMs: 60_000,
    reportWithinMs: 5_000,
    checkPeriodMs: 500,
    gatewayGraceMs: 1_000,
  });
});

test('supervision defaults to the 90 s DP4 bound checked every 30 s', () => {
  const supervision = loadConfig({ env: {} }).supervision;
  assert.is(supervision.reportWithinMs, 90_000);
  assert.is(supervision.checkPeriodMs, 30_000);
  assert.is(supervision.postHeartbeatMs, 60_000);
});

test('a check period longer than the reporting bound is refused by name', () => {
  assert.is(
    settingRefused(() =>
      loadConfig({
        env: {
          URGENCE_SUPERVISION_REPORT_MS: '5000',
          URGENCE_SUPERVISION_CHECK_MS: '9000',
        },
      }),
    ),
    'supervision.checkPeriodMs',
  );
  assert.is(
    settingRefused(() => loadConfig({ env: { URGENCE_POST_HEARTBEAT_MS: 'soon' } })),
    'supervision.postHeartbeatMs',
  );
});

test('a bad port names its setting', () => {
  assert.is(
    settingRefused(() => loadConfig({ env: { URGENCE_MQTT_PORT: 'abc' } })),
    'mqtt.port',
  );
  const file = writeConfig({ tls: { port: 70000 } });
  assert.is(
    settingRefused(() => loadConfig({ file, env: {} })),
    'tls.port',
  );
});

test('an unknown setting in the file is refused by name', () => {
  const file = writeConfig({ mqtt: { prot: 1 } });
  assert.is(
    settingRefused(() => loadConfig({ file, env: {} })),
    'mqtt.prot',
  );
});

test('a certificate without its key is refused', () => {
  const env = { URGENCE_TLS_CERT: '/etc/urgence/cert.pem' };
  assert.is(
    settingRefused(() => loadConfig({ env })),
    'tls.keyPath',
  );
});

test('an unreadable or non-JSON file is refused as the config file', () => {
  const missing = join(folder, 'missing.json');
  assert.is(
    settingRefused(() => loadConfig({ file: missing, env: {} })),
    'config file',
  );
  writeFileSync(join(folder, 'bad.json'), '{ port: 1');
  const bad = join(folder, 'bad.json');
  assert.is(
    settingRefused(() => loadConfig({ file: bad, env: {} })),
    'config file',
  );
});

test('the message is one line that names the setting', () => {
  try {
    loadConfig({ env: { URGENCE_LOG_LEVEL: 'loud' } });
    assert.unreachable();
  } catch (error) {
    assert.match((error as Error).message, /^config: logLevel: [^\n]+$/);
  }
});

test.run();
