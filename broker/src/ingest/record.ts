// Records one verified message durably and says what changed: the incident it created or
// joined, the faults it opened or cleared. Runs inside one SQLite transaction; the
// caller publishes the changes after the commit, and only then lets the PUBREC go.
import { FaultCode, MessageType } from '@urgence/protocol';
import type { FaultMessage } from '@urgence/protocol';
import type { Registry } from '../registry/index';
import type { DeviceStore } from '../incidents/devices';
import type { Fault, FaultStore } from '../incidents/faults';
import { withHearing } from '../incidents/store';
import type { IncidentStore } from '../incidents/store';
import type { Incident, IncidentKind } from '../incidents/types';
import type { IncidentChange } from '../feed/publisher';
import type { UplinkEnvelope } from './envelope';
import { incidentLocation } from './location';
import type { VerifiedMessage } from './verify';

export interface Stores {
  readonly registry: Registry;
  readonly incidents: IncidentStore;
  readonly devices: DeviceStore;
  readonly faults: FaultStore;
}

export interface Effects {
  readonly incidents: { incident: Incident; change: IncidentChange }[];
  readonly faults: Fault[];
  /** A new alarm or test alarm was recorded: the device gets a "received" ack. */
  readonly receivedAck?: { incident: Incident };
}

const faultKinds: Record<number, string> = {
  [FaultCode.Tamper]: 'tamper',
  [FaultCode.MainsLost]: 'mains-lost',
  [FaultCode.OnBattery]: 'on-battery',
  [FaultCode.LowBattery]: 'low-battery',
  [FaultCode.SelfTestFailed]: 'self-test-failed',
  [FaultCode.StuckButton]: 'stuck-button',
};

/** Oldest press time believed: a gateway's outbox may hold an alarm through an outage. */
const PRESS_AGE_LIMIT_MS = 24 * 60 * 60_000;

export interface Arrival {
  readonly gatewayId: string;
  readonly envelope: UplinkEnvelope;
  readonly receivedAt: number;
}

function hearingOf(arrival: Arrival) {
  return {
    gatewayId: arrival.gatewayId,
    firstHeard: arrival.envelope.firstHeard,
    lastHeard: arrival.envelope.lastHeard,
    rssi: arrival.envelope.rssi ?? null,
    copies: arrival.envelope.copies,
  };
}

/**
 * A wearable's area follows every gateway that joins; a post's point never moves. Test
 * alarms of wearables carry no location: only a real alarm may reveal where one is.
 */
function relocate(stores: Stores, incident: Incident, at: number): Incident {
  if (incident.deviceKind === 'post' || incident.kind === 'test') return incident;
  const device = stores.registry.getDevice(incident.deviceId);
  if (device === undefined) return incident;
  const where = incidentLocation(
    device,
    incident.heardBy,
    (id) => stores.registry.getGateway(id)?.location,
  );
  stores.incidents.setLocation(incident.id, where, at);
  // setLocation writes these two columns and nothing else.
  return { ...incident, location: where, updatedAt: at };
}

/** The same alarm heard again (another gateway, a resend): join, no new press. */
export function recordDuplicate(stores: Stores, incidentId: string, arrival: Arrival) {
  const before = stores.incidents.require(incidentId);
  const heard = stores.incidents.recordHearing(incidentId, hearingOf(arrival));
  const incident = relocate(stores, withHearing(before, heard), arrival.receivedAt);
  return { incident, change: 'heard' as const };
}

/**
 * A new alarm joins the device's open incident of the same kind rather than opening a
 * second one: a frightened person presses again and again, and each press is one more
 * reason to hurry, not a new call. After close, the next alarm is a new incident.
 */
function recordAlarm(
  stores: Stores,
  verified: VerifiedMessage,
  arrival: Arrival,
  kind: IncidentKind,
): Effects {
  const at = arrival.receivedAt;
  const device = verified.device;
  const counter = verified.message.counter;
  const open = stores.incidents.openFor(device.id, kind);
  let incident: Incident;
  let change: IncidentChange;
  if (open === undefined) {
    // Gateways timestamp what they hear (devices have no clock). A time in the future or
    // more than a day old is a gateway clock fault, not an alarm held that long.
    const pressedAt = Math.max(
      at - PRESS_AGE_LIMIT_MS,
      Math.min(arrival.envelope.firstHeard, at),
    );
    const location =
      device.kind === 'post' ? incidentLocation(device, [], () => undefined) : null;
    incident = stores.incidents.create({
      kind,
      deviceId: device.id,
      deviceKind: device.kind,
      counter,
      pressedAt,
      receivedAt: at,
      location,
    });
    change = 'created';
  } else {
    stores.incidents.recordPress(open.id, at, counter);
    // A re-press is rare next to new alarms: read back rather than mirror its update.
    incident = stores.incidents.require(open.id);
    change = 're-pressed';
  }
  const heard = stores.incidents.recordHearing(incident.id, hearingOf(arrival));
  incident = relocate(stores, withHearing(incident, heard), at);
  stores.devices.recordMessage(device.id, counter, verified.tag, at, incident.id);
  return { incidents: [{ incident, change }], faults: [], receivedAck: { incident } };
}

function recordFault(
  stores: Stores,
  message: FaultMessage,
  deviceId: string,
  at: number,
) {
  const kind = faultKinds[message.fault] ?? `fault-${message.fault}`;
  if (message.active) {
    const opened = stores.faults.open(kind, { deviceId }, at, null);
    return opened.opened ? [opened.fault] : [];
  }
  const cleared = stores.faults.clear(kind, { deviceId }, at);
  return cleared === undefined ? [] : [cleared];
}

/**
 * A post's intercom call state (CONTRACTS.md, "Post call state"): kept in its device
 * state, and carried to its open incidents when it is the newest report. Only a post has
 * an intercom; a wearable's heartbeat carrying the key is ignored.
 */
function recordCallState(
  stores: Stores,
  verified: VerifiedMessage,
  inCall: boolean,
  at: number,
): Effects['incidents'] {
  const device = verified.device;
  if (device.kind !== 'post') return [];
  if (!stores.devices.recordCall(device.id, inCall, verified.message.counter)) return [];
  return stores.incidents.recordIntercom(device.id, inCall, at).map((id) => ({
    incident: stores.incidents.require(id),
    change: 'intercom' as const,
  }));
}

/** Applies a fresh (never seen) verified message to the stores. */
export function recordFresh(
  stores: Stores,
  verified: VerifiedMessage,
  arrival: Arrival,
): Effects {
  const message = verified.message;
  const deviceId = verified.device.id;
  const at = arrival.receivedAt;
  const tamper =
    message.type === MessageType.Fault && message.fault === FaultCode.Tamper
      ? message.active
      : undefined;
  stores.devices.touch(deviceId, at, message.counter, {
    ...(message.battery === undefined ? {} : { battery: message.battery }),
    ...(message.type === MessageType.Heartbeat && message.mains !== undefined
      ? { mains: message.mains }
      : {}),
    ...(tamper === undefined ? {} : { tamper }),
    ...(message.type === MessageType.TestAlarm ? { testAt: at } : {}),
    ...(verified.window === undefined ? {} : { window: verified.window }),
    onPreviousKey: verified.onPreviousKey,
  });
  stores.devices.recordGateway(deviceId, {
    gatewayId: arrival.gatewayId,
    link: arrival.envelope.link,
    lastHeard: arrival.envelope.lastHeard,
    rssi: arrival.envelope.rssi ?? null,
  });
  // A signed message proves the device alive: it clears the broker's own silence fault
  // and the one its gateway reported (gateway-reports.ts), if that gateway heard it.
  const cleared = [
    stores.faults.clear('device-silent', { deviceId }, at),
    stores.faults.clear('device-silent', { deviceId, gatewayId: arrival.gatewayId }, at),
  ].filter((fault) => fault !== undefined);

  if (message.type === MessageType.Alarm || message.type === MessageType.TestAlarm) {
    const kind = message.type === MessageType.Alarm ? 'alarm' : 'test';
    const effects = recordAlarm(stores, verified, arrival, kind);
    return { ...effects, faults: [...cleared, ...effects.faults] };
  }
  stores.devices.recordMessage(deviceId, message.counter, verified.tag, at, null);
  if (message.type === MessageType.Fault) {
    return {
      incidents: [],
      faults: [...cleared, ...recordFault(stores, message, deviceId, at)],
    };
  }
  if (message.type === MessageType.Heartbeat && message.inCall !== undefined) {
    const incidents = recordCallState(stores, verified, message.inCall, at);
    return { incidents, faults: cleared };
  }
  if (message.type === MessageType.Cancel) {
    // A cancel is recorded, never obeyed: someone may force the wearer to cancel, so
    // only dispatch closes an incident (see README "Ingest").
    const open = stores.incidents.openFor(deviceId, 'alarm');
    if (open === undefined) return { incidents: [], faults: cleared };
    stores.incidents.recordDeviceCancel(open.id, at);
    const incident = stores.incidents.require(open.id);
    return { incidents: [{ incident, change: 'device-cancel' }], faults: cleared };
  }
  return { incidents: [], faults: cleared };
}
