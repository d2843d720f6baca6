// Small field validators for the rig file: each records "path: what was wrong, what is
// accepted" and returns undefined, so one run reports every problem in the file at once.

import type { FingerBoard, FingerLine, SerialRef } from './rigFile';

export class RigFileError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: ${problems.length} problem(s)\n  ` + problems.join('\n  '));
    this.name = 'RigFileError';
  }
}

type Json = Record<string, unknown>;

export interface Checker {
  fail(path: string, message: string): void;
  object(path: string, value: unknown): Json | undefined;
  entries(path: string, value: unknown): [string, unknown][];
  onlyKeys(path: string, value: Json, allowed: string[]): void;
  string(path: string, value: unknown): string | undefined;
  pattern(
    path: string,
    value: unknown,
    pattern: RegExp,
    what: string,
  ): string | undefined;
  integer(path: string, value: unknown, min: number, max: number): number | undefined;
  oneOf<T extends string>(
    path: string,
    value: unknown,
    allowed: readonly T[],
  ): T | undefined;
  serial(
    path: string,
    value: unknown,
    defaultBaud: number,
    extraKeys?: string[],
  ): SerialRef | undefined;
  fingerLine(
    path: string,
    value: unknown,
    fingers: Record<string, FingerBoard>,
  ): FingerLine | undefined;
  location(
    path: string,
    value: unknown,
  ): { lat: number; lon: number; label?: string } | undefined;
}

const show = (value: unknown): string =>
  value === undefined ? 'nothing' : JSON.stringify(value);

// Espruino pin names: D0..D47 on nRF52/ESP32, A0..H15 on STM32 boards (Pico, Original).
const pinName = /^(D\d{1,2}|[A-H]\d{1,2}|LED[1-3]|BTN1?)$/;

export function fieldError(errors: string[]): Checker {
  const fail = (path: string, message: string) => {
    errors.push(`${path === '' ? '(top level)' : path}: ${message}`);
  };

  const checker: Checker = {
    fail,
    object(path, value) {
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        return value as Json;
      }
      fail(path, `expected an object, got ${show(value)}`);
      return undefined;
    },
    entries(path, value) {
      const object = checker.object(path, value);
      return object === undefined ? [] : Object.entries(object);
    },
    onlyKeys(path, value, allowed) {
      for (const key of Object.keys(value)) {
        if (!allowed.includes(key)) {
          const where = path === '' ? key : `${path}.${key}`;
          fail(where, `unknown setting; expected one of ${allowed.join(', ')}`);
        }
      }
    },
    string(path, value) {
      if (typeof value === 'string' && value.length > 0) return value;
      fail(path, `expected a non-empty string, got ${show(value)}`);
      return undefined;
    },
    pattern(path, value, pattern, what) {
      if (typeof value === 'string' && pattern.test(value)) return value;
      fail(path, `expected ${what}, got ${show(value)}`);
      return undefined;
    },
    integer(path, value, min, max) {
      if (
        typeof value === 'number' &&
        Number.isInteger(value) &&
        value >= min &&
        value <= max
      ) {
        return value;
      }
      fail(path, `expected an integer from ${min} to ${max}, got ${show(value)}`);
      return undefined;
    },
    oneOf(path, value, allowed) {
      if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) {
        return value as (typeof allowed)[number];
      }
      fail(
        path,
        `expected one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${show(value)}`,
      );
      return undefined;
    },
    serial(path, value, defaultBaud, extraKeys = []) {
      const object = checker.object(path, value);
      if (object === undefined) return undefined;
      checker.onlyKeys(path, object, ['port', 'usbSerial', 'baud', ...extraKeys]);
      const hasPort = object.port !== undefined;
      const hasUsb = object.usbSerial !== undefined;
      if (hasPort === hasUsb) {
        fail(
          path,
          'give exactly one of "port" (a device path) or "usbSerial" (its USB serial number)',
        );
        return undefined;
      }
      const baud =
        object.baud === undefined
          ? defaultBaud
          : checker.integer(`${path}.baud`, object.baud, 300, 4_000_000);
      if (baud === undefined) return undefined;
      if (hasPort) {
        const port = checker.pattern(
          `${path}.port`,
          object.port,
          /^\//,
          'an absolute device path such as /dev/ttyUSB0',
        );
        return port === undefined ? undefined : { port, baud };
      }
      const usbSerial = checker.string(`${path}.usbSerial`, object.usbSerial);
      return usbSerial === undefined ? undefined : { usbSerial, baud };
    },
    fingerLine(path, value, fingers) {
      const object = checker.object(path, value);
      if (object === undefined) return undefined;
      checker.onlyKeys(path, object, ['finger', 'pin', 'activeHigh']);
      const finger = checker.string(`${path}.finger`, object.finger);
      const pin = checker.pattern(
        `${path}.pin`,
        object.pin,
        pinName,
        'an Espruino pin name such as D5 or B3',
      );
      const activeHigh = object.activeHigh ?? true;
      if (typeof activeHigh !== 'boolean') {
        fail(`${path}.activeHigh`, `expected true or false, got ${show(activeHigh)}`);
      }
      if (finger !== undefined && fingers[finger] === undefined) {
        fail(`${path}.finger`, `no finger board named "${finger}" under "fingers"`);
        return undefined;
      }
      if (finger === undefined || pin === undefined || typeof activeHigh !== 'boolean')
        return undefined;
      return { finger, pin, activeHigh };
    },
    location(path, value) {
      const object = checker.object(path, value);
      if (object === undefined) return undefined;
      const lat = object.lat;
      const lon = object.lon;
      const valid =
        typeof lat === 'number' &&
        typeof lon === 'number' &&
        Math.abs(lat) <= 90 &&
        Math.abs(lon) <= 180;
      if (!valid) {
        fail(path, `expected { lat: -90..90, lon: -180..180 }, got ${show(value)}`);
        return undefined;
      }
      const label = typeof object.label === 'string' ? object.label : undefined;
      return label === undefined ? { lat, lon } : { lat, lon, label };
    },
  };
  return checker;
}
