// The rig file: which devices sit on a bench (or in the virtual rig) and how the runner
// reaches each one: console port, power relay channel, button finger, LED sense lines.
// Modelled on labgrid's places and Zephyr's hardware map; validated with every error listed.

import { readFileSync } from 'node:fs';
import { fieldError, RigFileError, type Checker } from './check';

export type DeviceKind = 'post' | 'wearable';
export type DriverName = 'virtual' | 'bench';
export type PrivacyPolicy = 'precise' | 'area' | 'none';

/** A serial device named by its path, or by its USB serial number (stable across replugs). */
export interface SerialRef {
  port?: string;
  usbSerial?: string;
  baud: number;
}

/** One line of a finger board, wired to a line of the device under test. */
export interface FingerLine {
  finger: string;
  pin: string;
  /** Level on the finger board's pin when the device's line is active. */
  activeHigh: boolean;
}

export interface PowerChannel {
  relay: string;
  channel: number;
}

/** The lines a bench may sense on a device: posts have all but vibration. */
export const senseNames = [
  'calling',
  'received',
  'strobe',
  'red',
  'green',
  'blue',
  'vibration',
];
export type SenseName = (typeof senseNames)[number];

export interface Place {
  name: string;
  kind: DeviceKind;
  /** Device id (8 hex digits); the runner assigns one when absent. */
  deviceId?: string;
  policy?: PrivacyPolicy;
  location?: { lat: number; lon: number; label?: string };
  /** Bench only: the device's console (Espruino REPL). */
  console?: SerialRef;
  /** Bench only, posts: the gateway's end of the post's RS-485/UART link. */
  link?: SerialRef;
  power?: PowerChannel;
  /** Bench only, optional: a relay channel in series with the link's lines, to cut it. */
  linkRelay?: PowerChannel;
  button?: FingerLine;
  /** Bench only, posts: the door switch line, driven by the finger to simulate tamper. */
  tamper?: FingerLine;
  leds: Partial<Record<SenseName, FingerLine>>;
}

export interface FingerBoard {
  name: string;
  serial: SerialRef;
}

/** LCUS: the CH340 serial relay boards' 4-byte protocol (see drivers/bench/relay.ts). */
export interface RelayBoard {
  name: string;
  serial: SerialRef;
  protocol: 'lcus';
  channels: number;
}

export interface Rig {
  name: string;
  driver: DriverName;
  fingers: Record<string, FingerBoard>;
  relays: Record<string, RelayBoard>;
  places: Place[];
}

export function loadRigFile(path: string): Rig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new RigFileError(path, [
      `cannot read the rig file: ${(error as Error).message}`,
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RigFileError(path, [`not valid JSON: ${(error as Error).message}`]);
  }
  return parseRig(json, path);
}

/** Validates a parsed rig file; throws a RigFileError listing every problem found. */
export function parseRig(json: unknown, source = 'rig file'): Rig {
  const errors: string[] = [];
  const rig = readRig(fieldError(errors), json);
  if (errors.length > 0 || rig === undefined) throw new RigFileError(source, errors);
  return rig;
}

function readRig(check: Checker, json: unknown): Rig | undefined {
  const root = check.object('', json);
  if (root === undefined) return undefined;
  check.onlyKeys('', root, ['$comment', 'name', 'driver', 'fingers', 'relays', 'places']);
  const name = check.string('name', root.name);
  const driver = check.oneOf('driver', root.driver, ['virtual', 'bench'] as const);

  const fingers: Record<string, FingerBoard> = {};
  for (const [key, value] of check.entries('fingers', root.fingers ?? {})) {
    const serial = check.serial(`fingers.${key}`, value, 9600);
    if (serial !== undefined) fingers[key] = { name: key, serial };
  }
  const relays: Record<string, RelayBoard> = {};
  for (const [key, value] of check.entries('relays', root.relays ?? {})) {
    const relay = readRelay(check, `relays.${key}`, key, value);
    if (relay !== undefined) relays[key] = relay;
  }

  const places: Place[] = [];
  const placeEntries = check.entries('places', root.places);
  if (placeEntries.length === 0) check.fail('places', 'at least one place is needed');
  for (const [key, value] of placeEntries) {
    const place = readPlace(check, key, value, driver ?? 'virtual', fingers, relays);
    if (place !== undefined) places.push(place);
  }
  checkUniqueIds(check, places);

  if (name === undefined || driver === undefined) return undefined;
  return { name, driver, fingers, relays, places };
}

function readRelay(check: Checker, path: string, key: string, value: unknown) {
  const serial = check.serial(path, value, 9600, ['protocol', 'channels']);
  const object = check.object(path, value);
  if (object === undefined || serial === undefined) return undefined;
  const protocol = check.oneOf(`${path}.protocol`, object.protocol, ['lcus'] as const);
  const channels = check.integer(`${path}.channels`, object.channels, 1, 8);
  if (protocol === undefined || channels === undefined) return undefined;
  return { name: key, serial, protocol, channels } satisfies RelayBoard;
}

function readPlace(
  check: Checker,
  name: string,
  value: unknown,
  driver: DriverName,
  fingers: Record<string, FingerBoard>,
  relays: Record<string, RelayBoard>,
): Place | undefined {
  const path = `places.${name}`;
  const object = check.object(path, value);
  if (object === undefined) return undefined;
  check.onlyKeys(path, object, [
    ...['kind', 'deviceId', 'policy', 'location', 'console', 'link'],
    ...['power', 'linkRelay', 'button', 'tamper', 'leds'],
  ]);
  const kind = check.oneOf(`${path}.kind`, object.kind, ['post', 'wearable'] as const);
  const place: Place = { name, kind: kind ?? 'post', leds: {} };

  if (object.deviceId !== undefined) {
    place.deviceId = check.pattern(
      `${path}.deviceId`,
      object.deviceId,
      /^[0-9a-f]{8}$/,
      '8 lowercase hex digits',
    );
  }
  if (object.policy !== undefined) {
    place.policy = check.oneOf(`${path}.policy`, object.policy, [
      'precise',
      'area',
      'none',
    ] as const);
  }
  if (object.location !== undefined)
    place.location = check.location(`${path}.location`, object.location);

  const wired = ['console', 'link', 'power', 'linkRelay', 'button', 'tamper', 'leds'];
  if (driver === 'virtual') {
    for (const key of wired) {
      if (object[key] !== undefined)
        check.fail(`${path}.${key}`, 'a virtual place has no wiring: remove it');
    }
    return kind === undefined ? undefined : place;
  }

  place.console = check.serial(`${path}.console`, object.console, 115200);
  if (place.kind === 'post')
    place.link = check.serial(`${path}.link`, object.link, 115200);
  else if (object.link !== undefined)
    check.fail(`${path}.link`, 'a wearable has a radio, not a serial link');

  // Only the console is required: a scenario that needs a missing wire fails with
  // NotWiredError naming it, so a half-wired bench still runs what it can.
  if (object.power !== undefined) {
    place.power = readPower(check, `${path}.power`, object.power, relays);
  }
  if (object.linkRelay !== undefined) {
    place.linkRelay = readPower(check, `${path}.linkRelay`, object.linkRelay, relays);
  }
  if (object.button !== undefined) {
    place.button = check.fingerLine(`${path}.button`, object.button, fingers);
  }
  if (object.tamper !== undefined)
    place.tamper = check.fingerLine(`${path}.tamper`, object.tamper, fingers);
  for (const [sense, line] of check.entries(`${path}.leds`, object.leds ?? {})) {
    if (!senseNames.includes(sense)) {
      check.fail(
        `${path}.leds.${sense}`,
        `unknown line; expected one of ${senseNames.join(', ')}`,
      );
      continue;
    }
    const finger = check.fingerLine(`${path}.leds.${sense}`, line, fingers);
    if (finger !== undefined) place.leds[sense] = finger;
  }
  return kind === undefined ? undefined : place;
}

function readPower(
  check: Checker,
  path: string,
  value: unknown,
  relays: Record<string, RelayBoard>,
): PowerChannel | undefined {
  const object = check.object(path, value);
  if (object === undefined) return undefined;
  const relay = check.string(`${path}.relay`, object.relay);
  if (relay === undefined) return undefined;
  const board = relays[relay];
  if (board === undefined) {
    check.fail(`${path}.relay`, `no relay board named "${relay}" under "relays"`);
    return undefined;
  }
  const channel = check.integer(`${path}.channel`, object.channel, 1, board.channels);
  return channel === undefined ? undefined : { relay, channel };
}

function checkUniqueIds(check: Checker, places: Place[]): void {
  const seen = new Map<string, string>();
  for (const place of places) {
    if (place.deviceId === undefined) continue;
    const other = seen.get(place.deviceId);
    if (other !== undefined) {
      check.fail(
        `places.${place.name}.deviceId`,
        `${place.deviceId} is already used by ${other}`,
      );
    }
    seen.set(place.deviceId, place.name);
  }
}
