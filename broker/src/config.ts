// The broker's settings: defaults embedded here, then an optional JSON file, then
// environment variables. A bad setting stops start-up with one line that names it.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface BrokerConfig {
  dataDir: string;
  registryPath: string;
  mqtt: { host: string; port: number };
  tls: {
    enabled: boolean;
    host: string;
    port: number;
    certPath?: string;
    keyPath?: string;
  };
  ws: { enabled: boolean; host: string; port: number };
  limits: { maxPacketBytes: number; maxClientIdLength: number };
  login: { baseDelayMs: number; maxDelayMs: number };
  supervision: {
    postHeartbeatMs: number;
    wearableDeadlineMs: number;
    reportWithinMs: number;
    checkPeriodMs: number;
    gatewayGraceMs: number;
  };
  logLevel: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly setting: string,
    problem: string,
  ) {
    super(`config: ${setting}: ${problem}`);
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

// 1883 and 8883 are IANA's MQTT and MQTT-over-TLS ports.
function defaults(): Omit<BrokerConfig, 'registryPath'> & { registryPath?: string } {
  return {
    dataDir: '.data/broker',
    mqtt: { host: '0.0.0.0', port: 1883 },
    tls: { enabled: true, host: '0.0.0.0', port: 8883 },
    ws: { enabled: false, host: '0.0.0.0', port: 8080 },
    limits: { maxPacketBytes: 16 * 1024, maxClientIdLength: 64 },
    login: { baseDelayMs: 250, maxDelayMs: 30_000 },
    // 90 s: EN 50136-1's DP4 reporting time; posts beat every 60 s (edge-gateway's
    // default); wearables check in daily, plus an hour; checks at a third of the bound.
    supervision: {
      postHeartbeatMs: 60_000,
      wearableDeadlineMs: 25 * 3_600_000,
      reportWithinMs: 90_000,
      checkPeriodMs: 30_000,
      gatewayGraceMs: 30_000,
    },
    logLevel: 'info',
  };
}

type Shape = Record<string, unknown>;

function isObject(value: unknown): value is Shape {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Lays `overrides` onto `base`, refusing keys the base does not know (typos). */
function overlay(base: Shape, overrides: Shape, path: string): Shape {
  const merged: Shape = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const setting = path === '' ? key : `${path}.${key}`;
    const known = key in base || ['registryPath', 'certPath', 'keyPath'].includes(key);
    if (!known) throw new ConfigError(setting, 'unknown setting');
    merged[key] =
      isObject(base[key]) && isObject(value) ? overlay(base[key], value, setting) : value;
  }
  return merged;
}

function portOf(setting: string, value: unknown): number {
  const port = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ConfigError(
      setting,
      `expected a port number 0-65535, got ${JSON.stringify(value)}`,
    );
  }
  return port;
}

function positiveOf(setting: string, value: unknown, max: number): number {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (
    typeof number !== 'number' ||
    !Number.isInteger(number) ||
    number < 1 ||
    number > max
  ) {
    throw new ConfigError(
      setting,
      `expected an integer 1-${max}, got ${JSON.stringify(value)}`,
    );
  }
  return number;
}

function stringOf(setting: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ConfigError(
      setting,
      `expected a non-empty string, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function booleanOf(setting: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1' || value === 'on') return true;
  if (value === 'false' || value === '0' || value === 'off') return false;
  throw new ConfigError(setting, `expected true or false, got ${JSON.stringify(value)}`);
}

/** Environment variables and the settings they override. */
const ENVIRONMENT: Record<string, string> = {
  URGENCE_DATA_DIR: 'dataDir',
  URGENCE_REGISTRY: 'registryPath',
  URGENCE_MQTT_HOST: 'mqtt.host',
  URGENCE_MQTT_PORT: 'mqtt.port',
  URGENCE_TLS: 'tls.enabled',
  URGENCE_TLS_PORT: 'tls.port',
  URGENCE_TLS_CERT: 'tls.certPath',
  URGENCE_TLS_KEY: 'tls.keyPath',
  URGENCE_WS: 'ws.enabled',
  URGENCE_WS_PORT: 'ws.port',
  URGENCE_MAX_PACKET_BYTES: 'limits.maxPacketBytes',
  URGENCE_LOG_LEVEL: 'logLevel',
  URGENCE_POST_HEARTBEAT_MS: 'supervision.postHeartbeatMs',
  URGENCE_WEARABLE_DEADLINE_MS: 'supervision.wearableDeadlineMs',
  URGENCE_SUPERVISION_REPORT_MS: 'supervision.reportWithinMs',
  URGENCE_SUPERVISION_CHECK_MS: 'supervision.checkPeriodMs',
  URGENCE_GATEWAY_GRACE_MS: 'supervision.gatewayGraceMs',
};

function environmentOverrides(env: NodeJS.ProcessEnv): Shape {
  const overrides: Shape = {};
  for (const [variable, setting] of Object.entries(ENVIRONMENT)) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    const [section, key] = setting.split('.');
    if (key === undefined) overrides[section] = value;
    else
      overrides[section] = {
        ...((overrides[section] as Shape | undefined) ?? {}),
        [key]: value,
      };
  }
  return overrides;
}

function readFile(path: string): Shape {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      'config file',
      `cannot read ${path}: ${(error as Error).message}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      'config file',
      `${path} is not JSON: ${(error as Error).message}`,
    );
  }
  if (!isObject(parsed))
    throw new ConfigError('config file', `${path}: expected an object`);
  return parsed;
}

function validate(raw: Shape): BrokerConfig {
  const mqtt = raw.mqtt as Shape;
  const tls = raw.tls as Shape;
  const ws = raw.ws as Shape;
  const limits = raw.limits as Shape;
  const login = raw.login as Shape;
  const supervision = supervisionOf(raw.supervision as Shape);
  const dataDir = resolve(stringOf('dataDir', raw.dataDir));
  const certPath =
    tls.certPath === undefined ? undefined : stringOf('tls.certPath', tls.certPath);
  const keyPath =
    tls.keyPath === undefined ? undefined : stringOf('tls.keyPath', tls.keyPath);
  if ((certPath === undefined) !== (keyPath === undefined)) {
    throw new ConfigError(
      certPath === undefined ? 'tls.certPath' : 'tls.keyPath',
      'set both or neither',
    );
  }
  const logLevel = stringOf('logLevel', raw.logLevel);
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(
      'logLevel',
      `expected one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`,
    );
  }
  return {
    dataDir,
    registryPath:
      raw.registryPath === undefined
        ? join(dataDir, 'registry.sqlite')
        : resolve(stringOf('registryPath', raw.registryPath)),
    mqtt: {
      host: stringOf('mqtt.host', mqtt.host),
      port: portOf('mqtt.port', mqtt.port),
    },
    tls: {
      enabled: booleanOf('tls.enabled', tls.enabled),
      host: stringOf('tls.host', tls.host),
      port: portOf('tls.port', tls.port),
      certPath: certPath === undefined ? undefined : resolve(certPath),
      keyPath: keyPath === undefined ? undefined : resolve(keyPath),
    },
    ws: {
      enabled: booleanOf('ws.enabled', ws.enabled),
      host: stringOf('ws.host', ws.host),
      port: portOf('ws.port', ws.port),
    },
    limits: {
      // 268,435,455: the largest packet MQTT 3.1.1 §2.2.3 can describe.
      maxPacketBytes: positiveOf(
        'limits.maxPacketBytes',
        limits.maxPacketBytes,
        268_435_455,
      ),
      maxClientIdLength: positiveOf(
        'limits.maxClientIdLength',
        limits.maxClientIdLength,
        65_535,
      ),
    },
    login: {
      baseDelayMs: positiveOf('login.baseDelayMs', login.baseDelayMs, 60_000),
      maxDelayMs: positiveOf('login.maxDelayMs', login.maxDelayMs, 3_600_000),
    },
    supervision,
    logLevel,
  };
}

const WEEK_MS = 7 * 24 * 3_600_000;

/** Test rigs shorten these to seconds; a check period past the bound could not keep it. */
function supervisionOf(raw: Shape): BrokerConfig['supervision'] {
  const setting = (key: string) => `supervision.${key}`;
  const supervision = {
    postHeartbeatMs: positiveOf(setting('postHeartbeatMs'), raw.postHeartbeatMs, WEEK_MS),
    wearableDeadlineMs: positiveOf(
      setting('wearableDeadlineMs'),
      raw.wearableDeadlineMs,
      30 * 24 * 3_600_000,
    ),
    reportWithinMs: positiveOf(setting('reportWithinMs'), raw.reportWithinMs, WEEK_MS),
    checkPeriodMs: positiveOf(setting('checkPeriodMs'), raw.checkPeriodMs, WEEK_MS),
    gatewayGraceMs: positiveOf(setting('gatewayGraceMs'), raw.gatewayGraceMs, WEEK_MS),
  };
  if (supervision.checkPeriodMs > supervision.reportWithinMs) {
    throw new ConfigError(
      setting('checkPeriodMs'),
      `must not exceed supervision.reportWithinMs (${supervision.reportWithinMs})`,
    );
  }
  return supervision;
}

/**
 * Defaults, then the JSON file at `file` (or URGENCE_BROKER_CONFIG) if any, then the
 * URGENCE_* environment variables. Throws ConfigError naming the first bad setting.
 */
export function loadConfig(options: { file?: string; env?: NodeJS.ProcessEnv } = {}) {
  const env = options.env ?? process.env;
  const file = options.file ?? env.URGENCE_BROKER_CONFIG;
  let raw: Shape = defaults() as unknown as Shape;
  if (file !== undefined && file !== '') raw = overlay(raw, readFile(file), '');
  raw = overlay(raw, environmentOverrides(env), '');
  return validate(raw);
}
