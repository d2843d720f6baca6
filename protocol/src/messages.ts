// The message catalogue: what posts and wearables say (alarm, cancel, heartbeat, fault,
// test alarm) and what the server answers (ack). Each is a deterministic CBOR map with
// small integer keys (table in protocol/README.md); it travels as a COSE_Mac0 payload.

import { cborDecode } from './cbor';
import { encodeSmallMap } from './cbor-write';
import { CborMap } from './cbor-types';
import type { CborValue } from './cbor-types';
import { fail, ok } from './result';
import type { Result } from './result';
import {
  KEY_ACTIVE,
  KEY_BATTERY,
  KEY_COUNTER,
  KEY_ETA,
  KEY_FAULT,
  KEY_IN_CALL,
  KEY_MAINS,
  KEY_REF,
  KEY_STAGE,
  KEY_TYPE,
  KEY_VERSION,
  MESSAGE_VERSION,
  UINT32_MAX,
  FAULT_LOW_BATTERY,
  FAULT_MAINS_LOST,
  FAULT_ON_BATTERY,
  FAULT_SELF_TEST_FAILED,
  FAULT_STUCK_BUTTON,
  FAULT_TAMPER,
  STAGE_CLOSED,
  STAGE_HELP_COMING,
  STAGE_RECEIVED,
  TYPE_ACK,
  TYPE_ALARM,
  TYPE_CANCEL,
  TYPE_FAULT,
  TYPE_HEARTBEAT,
  TYPE_TEST_ALARM,
} from './constants';
export {
  KEY_ACTIVE,
  KEY_BATTERY,
  KEY_COUNTER,
  KEY_ETA,
  KEY_FAULT,
  KEY_IN_CALL,
  KEY_MAINS,
  KEY_REF,
  KEY_STAGE,
  KEY_TYPE,
  KEY_VERSION,
  MESSAGE_VERSION,
  UINT32_MAX,
} from './constants';

export const MessageType = {
  Alarm: TYPE_ALARM,
  Cancel: TYPE_CANCEL,
  Heartbeat: TYPE_HEARTBEAT,
  Fault: TYPE_FAULT,
  TestAlarm: TYPE_TEST_ALARM,
  Ack: TYPE_ACK,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

export const FaultCode = {
  Tamper: FAULT_TAMPER,
  MainsLost: FAULT_MAINS_LOST,
  OnBattery: FAULT_ON_BATTERY,
  LowBattery: FAULT_LOW_BATTERY,
  SelfTestFailed: FAULT_SELF_TEST_FAILED,
  StuckButton: FAULT_STUCK_BUTTON,
} as const;
export type FaultCode = (typeof FaultCode)[keyof typeof FaultCode];

export const AckStage = {
  Received: STAGE_RECEIVED,
  HelpComing: STAGE_HELP_COMING,
  Closed: STAGE_CLOSED,
} as const;
export type AckStage = (typeof AckStage)[keyof typeof AckStage];

export const MessageKey = {
  Version: KEY_VERSION,
  Type: KEY_TYPE,
  Counter: KEY_COUNTER,
  Battery: KEY_BATTERY,
  Fault: KEY_FAULT,
  Active: KEY_ACTIVE,
  Ref: KEY_REF,
  Stage: KEY_STAGE,
  Eta: KEY_ETA,
  Mains: KEY_MAINS,
  InCall: KEY_IN_CALL,
} as const;

/** battery: state of charge in percent, 0-100, when the device can measure it. */
export type AlarmMessage = { type: 1; counter: number; battery?: number };
/** ref: counter of the alarm cancelled; absent = the device's latest alarm. */
export type CancelMessage = { type: 2; counter: number; ref?: number; battery?: number };
/**
 * mains: true while the post runs on mains power. inCall: true while the post's intercom
 * (its SIP voice module) reports a call in progress; posts only.
 */
export type HeartbeatMessage = {
  type: 3;
  counter: number;
  battery?: number;
  mains?: boolean;
  inCall?: boolean;
};
/** active: true when the fault starts, false when it clears. */
export type FaultMessage = {
  type: 4;
  counter: number;
  fault: FaultCode;
  active: boolean;
  battery?: number;
};
export type TestAlarmMessage = { type: 5; counter: number; battery?: number };
/** Server to device. ref: counter of the message acknowledged; eta in seconds. */
export type AckMessage = { type: 6; ref: number; stage: AckStage; eta?: number };

export type DeviceMessage =
  | AlarmMessage
  | CancelMessage
  | HeartbeatMessage
  | FaultMessage
  | TestAlarmMessage
  | AckMessage;

/** Everything a device sends (all but the server's Ack). */
export type UplinkMessage = Exclude<DeviceMessage, AckMessage>;

/** Every field a message type may carry, keyed by name: the union's members, merged. */
type AnyFields = {
  type: number;
  counter?: number;
  battery?: number;
  fault?: number;
  active?: boolean;
  ref?: number;
  stage?: number;
  eta?: number;
  mains?: boolean;
  inCall?: boolean;
};

/**
 * Deterministic CBOR (RFC 8949 §4.2.1): keys ascending, shortest heads. Each key is written
 * when its field is present, in key order, with no branch per type: the message types above
 * say which fields each has (an Ack has no counter, only a Heartbeat has mains), and the
 * wearable bundle, which carries this encoder, has no bytes to spare for the branches.
 */
export function encodeMessage(msg: DeviceMessage): Uint8Array {
  const fields = msg as AnyFields;
  const keys: number[] = [];
  const values: (number | boolean)[] = [];
  const put = (key: number, value: number | boolean | undefined): void => {
    if (value === undefined) return;
    keys.push(key);
    values.push(value);
  };
  put(KEY_VERSION, MESSAGE_VERSION);
  put(KEY_TYPE, fields.type);
  put(KEY_COUNTER, fields.counter);
  put(KEY_BATTERY, fields.battery);
  put(KEY_FAULT, fields.fault);
  put(KEY_ACTIVE, fields.active);
  put(KEY_REF, fields.ref);
  put(KEY_STAGE, fields.stage);
  put(KEY_ETA, fields.eta);
  put(KEY_MAINS, fields.mains);
  put(KEY_IN_CALL, fields.inCall);
  return encodeSmallMap(keys, values);
}

type FieldReader = { map: CborMap; error: string };

function isWholeNumber(value: CborValue | undefined, max: number): value is number {
  return (
    typeof value === 'number' && value >= 0 && value <= max && Math.floor(value) === value
  );
}

/** Reads an integer field in [0, max]; records the first problem in reader.error. */
function readNumber(
  reader: FieldReader,
  key: number,
  max: number,
  required: boolean,
): number {
  const value = reader.map.get(key);
  if (value === undefined) {
    if (required && reader.error === '') reader.error = 'missing field ' + key;
    return -1;
  }
  if (!isWholeNumber(value, max)) {
    if (reader.error === '')
      reader.error = 'field ' + key + ' must be an integer 0..' + max;
    return -1;
  }
  return value;
}

function readFlag(
  reader: FieldReader,
  key: number,
  required: boolean,
): boolean | undefined {
  const value = reader.map.get(key);
  if (value === undefined) {
    if (required && reader.error === '') reader.error = 'missing field ' + key;
    return undefined;
  }
  if (typeof value !== 'boolean') {
    if (reader.error === '') reader.error = 'field ' + key + ' must be true or false';
    return undefined;
  }
  return value;
}

function optional(value: number): number | undefined {
  return value < 0 ? undefined : value;
}

function buildAck(reader: FieldReader): DeviceMessage {
  const ref = readNumber(reader, MessageKey.Ref, UINT32_MAX, true);
  const stage = readNumber(reader, MessageKey.Stage, AckStage.Closed, true);
  if (stage === 0 && reader.error === '') reader.error = 'ack stage 0 is not defined';
  const eta = optional(readNumber(reader, MessageKey.Eta, 65535, false));
  const ack: AckMessage = { type: MessageType.Ack, ref: ref, stage: stage as AckStage };
  if (eta !== undefined) ack.eta = eta;
  return ack;
}

function buildDeviceMessage(reader: FieldReader, type: number): DeviceMessage {
  const counter = readNumber(reader, MessageKey.Counter, UINT32_MAX, true);
  const battery = optional(readNumber(reader, MessageKey.Battery, 100, false));
  if (type === MessageType.Fault) {
    const fault = readNumber(reader, MessageKey.Fault, FaultCode.StuckButton, true);
    if (fault === 0 && reader.error === '') reader.error = 'fault code 0 is not defined';
    const active = readFlag(reader, MessageKey.Active, true) === true;
    const faultMessage: FaultMessage = {
      type: MessageType.Fault,
      counter: counter,
      fault: fault as FaultCode,
      active: active,
    };
    if (battery !== undefined) faultMessage.battery = battery;
    return faultMessage;
  }
  if (type === MessageType.Cancel) {
    const ref = optional(readNumber(reader, MessageKey.Ref, UINT32_MAX, false));
    const cancel: CancelMessage = { type: MessageType.Cancel, counter: counter };
    if (ref !== undefined) cancel.ref = ref;
    if (battery !== undefined) cancel.battery = battery;
    return cancel;
  }
  if (type === MessageType.Heartbeat) {
    const mains = readFlag(reader, MessageKey.Mains, false);
    const inCall = readFlag(reader, MessageKey.InCall, false);
    const heartbeat: HeartbeatMessage = { type: MessageType.Heartbeat, counter: counter };
    if (battery !== undefined) heartbeat.battery = battery;
    if (mains !== undefined) heartbeat.mains = mains;
    if (inCall !== undefined) heartbeat.inCall = inCall;
    return heartbeat;
  }
  const simple: AlarmMessage | TestAlarmMessage = {
    type: type === MessageType.Alarm ? MessageType.Alarm : MessageType.TestAlarm,
    counter: counter,
  };
  if (battery !== undefined) simple.battery = battery;
  return simple;
}

/** Unknown keys are ignored (room for optional fields within version 1). */
export function decodeMessage(bytes: Uint8Array): Result<DeviceMessage> {
  const decoded = cborDecode(bytes);
  if (!decoded.ok) return decoded;
  const map = decoded.value;
  if (!(map instanceof CborMap)) return fail('not-a-message', 'a message is a CBOR map');
  const version = map.get(MessageKey.Version);
  if (version !== MESSAGE_VERSION) {
    return fail('unknown-version', 'message version must be 1, got ' + String(version));
  }
  const type = map.get(MessageKey.Type);
  if (!isWholeNumber(type, MessageType.Ack) || type === 0) {
    return fail('unknown-type', 'message type must be 1..6, got ' + String(type));
  }
  const reader: FieldReader = { map: map, error: '' };
  const message =
    type === MessageType.Ack ? buildAck(reader) : buildDeviceMessage(reader, type);
  if (reader.error !== '') return fail('bad-field', reader.error);
  return ok(message);
}
