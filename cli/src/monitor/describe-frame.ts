// Turns one serial link frame into a line a technician can read: which device, what
// message, which counter, and whether its tag verifies when the device key is at hand.
// Decoding uses @urgence/protocol, the same code the gateway and the ingest run.

import { createHash } from 'node:crypto';
import {
  AckStage,
  FaultCode,
  FrameDecoder,
  LinkKind,
  MessageType,
  decodeMessage,
  deviceIdFromKid,
  mac0Decode,
  mac0Verify,
  type DeviceMessage,
} from '@urgence/protocol';

export type KeyLookup = (deviceId: string) => Uint8Array[] | undefined;

const sha256 = (message: Uint8Array): Uint8Array =>
  createHash('sha256').update(message).digest();

const typeNames = nameTable(MessageType);
const faultNames = nameTable(FaultCode);
const stageNames = nameTable(AckStage);

/** One line per link frame, e.g. "link data seq 4: alarm from 0000002a counter 17 tag ok". */
export function describeFrame(wire: Uint8Array, keysFor?: KeyLookup): string {
  const results = new FrameDecoder().push(wire);
  const result = results[0];
  if (result === undefined) return 'link: empty frame';
  if (!result.ok)
    return `link: BAD FRAME (${result.error.code}: ${result.error.message})`;

  const frame = result.value;
  if (frame.kind === LinkKind.Ack) return `link ack seq ${frame.seq}`;

  const mac0 = mac0Decode(frame.payload);
  if (!mac0.ok) return `link data seq ${frame.seq}: not a COSE_Mac0 (${mac0.error.code})`;
  const deviceId = deviceIdFromKid(mac0.value.kid);
  const device = deviceId.ok ? deviceId.value : 'unknown device';
  const message = decodeMessage(mac0.value.payload);
  const body = message.ok
    ? describeMessage(message.value, device)
    : `undecodable message from ${device} (${message.error.code})`;

  const keys = deviceId.ok ? keysFor?.(deviceId.value) : undefined;
  const tag =
    keys === undefined
      ? 'tag not checked'
      : keys.some((key) => mac0Verify(sha256, key, mac0.value))
        ? 'tag ok'
        : 'TAG DOES NOT VERIFY';
  return `link data seq ${frame.seq}: ${body}, ${tag}`;
}

export function describeMessage(message: DeviceMessage, device: string): string {
  const type = typeNames[message.type] ?? `type ${message.type}`;
  if (message.type === MessageType.Ack) {
    const stage = stageNames[message.stage] ?? `stage ${message.stage}`;
    const eta = message.eta === undefined ? '' : `, eta ${message.eta} s`;
    return `ack to ${device} for counter ${message.ref}: ${stage}${eta}`;
  }
  const parts = [`${type} from ${device} counter ${message.counter}`];
  if (message.type === MessageType.Fault) {
    const fault = faultNames[message.fault] ?? `fault ${message.fault}`;
    parts.push(`${fault} ${message.active ? 'raised' : 'cleared'}`);
  }
  if (message.type === MessageType.Heartbeat && message.mains !== undefined) {
    parts.push(message.mains ? 'on mains' : 'on battery');
  }
  if (message.battery !== undefined) parts.push(`battery ${message.battery}%`);
  return parts.join(', ');
}

/** { Alarm: 1 } → { 1: 'alarm' }, with CamelCase split into words. */
function nameTable(constants: Record<string, number>): Record<number, string> {
  const names: Record<number, string> = {};
  for (const [name, value] of Object.entries(constants)) {
    names[value] = name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  }
  return names;
}
