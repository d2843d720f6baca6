// Gateway configuration: one JSON file, then environment overrides (for secrets and for
// containers), validated in one pass. A bad or missing setting stops start-up with a
// ConfigError whose message is one line naming the setting and what is accepted.
import { readFileSync } from 'node:fs';

export type SerialPortConfig = { path: string; baudRate: number };

export type GatewayConfig = {
  gatewayId: string;
  broker: {
    url: string;
    username: string;
    secret: string;
    caFile?: string;
    /** Reconnect backoff: first delay, doubled per failure up to max, with ±50% jitter. */
    reconnectMinMs: number;
    reconnectMaxMs: number;
  };
  serial: SerialPortConfig[];
  ble: { enabled: boolean; adapter?: string };
  outbox: {
    dir: string;
    /** Disk budget for the log; past it heartbeats are coalesced, then appends refused. */
    maxBytes: number;
    /** Records published concurrently (at most one per device, see uplink/broker-link.ts). */
    inFlight: number;
  };
  heartbeat: {
    /** The posts' heartbeat interval; a post silent for missedBeforeFault of them is a fault. */
    postIntervalMs: number;
    missedBeforeFault: number;
  };
  telemetryIntervalMs: number;
  /** How long a wearable ack is advertised (bounded: the wearable scans only while alarmed). */
  wearableAckMs: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
};

export class ConfigError extends Error {
  readonly setting: string;
  constructor(setting: string, problem: string) {
    super(`config: ${setting}: ${problem}`);
    this.name = 'ConfigError';
    this.setting = setting;
  }
}

// Contract: gateway ids are [a-z0-9-]{1,32}; they appear in topics and client ids.
const GATEWAY_ID = /^[a-z0-9-]{1,32}$/;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

type Json = Record<string, unknown>;

function section(raw: Json, key: string): Json {
  const value = raw[key];
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(key, 'must be an object');
  }
  return value as Json;
}

// Every setting the file may hold, by section: a misspelt key (say outbox.maxByte) would
// otherwise be ignored in silence and its default used, which an operator never notices.
const KNOWN = {
  '': [
    'gatewayId',
    'broker',
    'serial',
    'ble',
    'outbox',
    'heartbeat',
    'telemetryIntervalMs',
    'wearableAckMs',
    'logLevel',
  ],
  broker: ['url', 'username', 'secret', 'caFile', 'reconnectMinMs', 'reconnectMaxMs'],
  ble: ['enabled', 'adapter'],
  outbox: ['dir', 'maxBytes', 'inFlight'],
  heartbeat: ['postIntervalMs', 'missedBeforeFault'],
  serial: ['path', 'baudRate'],
} as const;

function onlyKnown(raw: Json, where: keyof typeof KNOWN, prefix: string = where): void {
  const known: readonly string[] = KNOWN[where];
  for (const key of Object.keys(raw)) {
    if (known.includes(key)) continue;
    const setting = prefix === '' ? key : `${prefix}.${key}`;
    throw new ConfigError(setting, `unknown setting (known: ${known.join(', ')})`);
  }
}

function text(value: unknown, setting: string, fallback?: string): string {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0) {
    throw new ConfigError(setting, 'missing or not a non-empty string');
  }
  return value;
}

function optionalText(value: unknown, setting: string): string | undefined {
  return value === undefined ? undefined : text(value, setting);
}

function count(value: unknown, setting: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min) {
    throw new ConfigError(setting, `must be an integer >= ${min}`);
  }
  return n;
}

function flag(value: unknown, setting: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  if (value === 'on' || value === 'true' || value === '1') return true;
  if (value === 'off' || value === 'false' || value === '0') return false;
  throw new ConfigError(setting, 'must be true/false (or on/off in the environment)');
}

function serialPorts(value: unknown): SerialPortConfig[] {
  if (value === undefined) return [];
  if (typeof value === 'string') {
    // Environment form: "/dev/ttyUSB0:115200,/dev/ttyUSB1" (baud rate optional).
    value = value
      .split(',')
      .filter((part) => part.trim() !== '')
      .map((part) => {
        const [path, baud] = part.trim().split(':');
        return baud === undefined ? { path } : { path, baudRate: baud };
      });
  }
  if (!Array.isArray(value)) throw new ConfigError('serial', 'must be a list of ports');
  const ports = value.map((port: unknown, i) => {
    const entry = (typeof port === 'object' && port !== null ? port : {}) as Json;
    onlyKnown(entry, 'serial', `serial[${i}]`);
    return {
      path: text(entry.path, `serial[${i}].path`),
      baudRate: count(entry.baudRate, `serial[${i}].baudRate`, 115200, 1200),
    };
  });
  const paths = new Set(ports.map((p) => p.path));
  if (paths.size !== ports.length)
    throw new ConfigError('serial', 'a port is listed twice');
  return ports;
}

function brokerUrl(value: unknown): string {
  const url = text(value, 'broker.url');
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new ConfigError('broker.url', `not a URL: ${url}`);
  }
  if (!['mqtt:', 'mqtts:', 'tcp:', 'ssl:', 'tls:'].includes(protocol)) {
    throw new ConfigError('broker.url', 'scheme must be mqtt: or mqtts:');
  }
  return url;
}

/** Builds a validated config from parsed JSON and an environment (process.env by default). */
export function parseConfig(raw: unknown, env: NodeJS.ProcessEnv = {}): GatewayConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError('(file)', 'must hold a JSON object');
  }
  const root = raw as Json;
  onlyKnown(root, '');
  const broker = section(root, 'broker');
  const ble = section(root, 'ble');
  const outbox = section(root, 'outbox');
  const heartbeat = section(root, 'heartbeat');
  onlyKnown(broker, 'broker');
  onlyKnown(ble, 'ble');
  onlyKnown(outbox, 'outbox');
  onlyKnown(heartbeat, 'heartbeat');

  const gatewayId = text(env.URGENCE_GATEWAY_ID ?? root.gatewayId, 'gatewayId');
  if (!GATEWAY_ID.test(gatewayId)) {
    throw new ConfigError('gatewayId', 'must match [a-z0-9-]{1,32}');
  }
  const caFile = optionalText(env.URGENCE_BROKER_CA ?? broker.caFile, 'broker.caFile');
  if (caFile !== undefined) readable(caFile, 'broker.caFile');
  const adapter = optionalText(env.URGENCE_BLE_ADAPTER ?? ble.adapter, 'ble.adapter');
  if (adapter !== undefined && !/^hci\d+$/.test(adapter)) {
    throw new ConfigError('ble.adapter', 'must name an HCI adapter such as hci0');
  }
  const reconnectMinMs = count(broker.reconnectMinMs, 'broker.reconnectMinMs', 1000);
  const logLevel = text(env.URGENCE_LOG_LEVEL ?? root.logLevel, 'logLevel', 'info');
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError('logLevel', `must be one of ${LOG_LEVELS.join(', ')}`);
  }

  return {
    gatewayId,
    broker: {
      url: brokerUrl(env.URGENCE_BROKER_URL ?? broker.url),
      username: text(broker.username, 'broker.username', gatewayId),
      secret: text(env.URGENCE_GATEWAY_SECRET ?? broker.secret, 'broker.secret'),
      caFile,
      reconnectMinMs,
      // 10 s cap (15 s with jitter): an alarm waits at most that long after the broker is
      // back, small against the 5-minute promise; 500 gateways still spread over ~10 s.
      reconnectMaxMs: count(broker.reconnectMaxMs, 'broker.reconnectMaxMs', 10_000),
    },
    serial: serialPorts(env.URGENCE_SERIAL_PORTS ?? root.serial),
    ble: {
      enabled: flag(env.URGENCE_BLE ?? ble.enabled, 'ble.enabled', false),
      adapter,
    },
    outbox: {
      dir: text(env.URGENCE_OUTBOX_DIR ?? outbox.dir, 'outbox.dir'),
      // 64 MiB: 24 h of a full cluster is ~7.0 MB (README.md, "Outbox sizing"): 9 days.
      maxBytes: count(outbox.maxBytes, 'outbox.maxBytes', 64 * 1024 * 1024, 64 * 1024),
      inFlight: count(outbox.inFlight, 'outbox.inFlight', 32),
    },
    heartbeat: {
      postIntervalMs: count(heartbeat.postIntervalMs, 'heartbeat.postIntervalMs', 60_000),
      missedBeforeFault: count(
        heartbeat.missedBeforeFault,
        'heartbeat.missedBeforeFault',
        3,
      ),
    },
    telemetryIntervalMs: count(root.telemetryIntervalMs, 'telemetryIntervalMs', 30_000),
    wearableAckMs: count(root.wearableAckMs, 'wearableAckMs', 10_000),
    logLevel: logLevel as GatewayConfig['logLevel'],
  };
}

function readable(path: string, setting: string): void {
  try {
    readFileSync(path);
  } catch (error) {
    throw new ConfigError(setting, `cannot read ${path} (${(error as Error).message})`);
  }
}

/** Reads the file at `path` and applies `env` overrides (see README.md for the names). */
export function loadConfig(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
): GatewayConfig {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      '--config',
      `cannot read ${path} (${(error as Error).message})`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(source);
  } catch (error) {
    throw new ConfigError(
      '--config',
      `${path} is not JSON (${(error as Error).message})`,
    );
  }
  return parseConfig(raw, env);
}
