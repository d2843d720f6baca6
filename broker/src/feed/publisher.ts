// Publishes the dispatch feed on MQTT: each incident's state retained as JSON and as
// CAP 1.2, a stream of changes, and faults (stream + one retained topic per open fault).
// A publish that fails is logged, never thrown: the incident is already on disk.
import type { Logger } from 'pino';
import { FEED_ROOT } from '../server/topics';
import type { Fault } from '../incidents/faults';
import type { Incident } from '../incidents/types';
import { incidentCap } from './cap';
import { incidentFeedJson, iso } from './incident-json';

export type Publish = (
  topic: string,
  payload: string | Buffer,
  options: { qos: 0 | 1 | 2; retain: boolean },
) => Promise<void>;

export interface Clock {
  now(): number;
}

export type IncidentChange =
  | 'created'
  | 'heard'
  | 're-pressed'
  | 'device-cancel'
  | 'intercom'
  | 'state'
  | 'at-risk'
  | 'republished';

export const feedTopics = {
  incident: (id: string) => `${FEED_ROOT}incidents/${id}`,
  cap: (id: string) => `${FEED_ROOT}cap/${id}`,
  changes: `${FEED_ROOT}changes`,
  faults: `${FEED_ROOT}faults`,
  fault: (id: number) => `${FEED_ROOT}faults/${id}`,
};

/**
 * Outside an alarm, a wearable reaches the feed only through its maintenance faults (low
 * battery, silent, ...): its id, the fault's kind and times, so someone can change the
 * battery — never where it is. A fault carries no location and no RSSI; of its fields
 * only the gateway (a known position, BLE reaching ~100 m) and the free-text detail
 * could name a place, so for a wearable both are published as null.
 */
export function faultJson(fault: Fault, wearable: boolean) {
  return {
    id: fault.id,
    kind: fault.kind,
    device: fault.deviceId,
    gateway: wearable ? null : fault.gatewayId,
    state: fault.clearedAt === null ? 'open' : 'cleared',
    openedAt: iso(fault.openedAt),
    clearedAt: fault.clearedAt === null ? null : iso(fault.clearedAt),
    detail: wearable ? null : fault.detail,
  };
}

/**
 * Gateway names and signal strengths locate a wearable as well as a map would (each
 * gateway's position is known, BLE reaches ~100 m), so they are published only when the
 * owner's policy is precise. For the rest the feed says how many heard it, and when.
 */
export function withheldGateways(incident: Incident): Incident {
  return {
    ...incident,
    heardBy: incident.heardBy.map((heard) => ({
      ...heard,
      gatewayId: 'withheld',
      bestRssi: null,
    })),
  };
}

export class DispatchFeed {
  private readonly publish: Publish;
  private readonly namesGateways: (incident: Incident) => boolean;
  private readonly isWearable: (deviceId: string) => boolean;
  private readonly clock: Clock;
  private readonly capSender: string;
  private readonly logger: Logger;

  constructor(options: {
    publish: Publish;
    clock: Clock;
    capSender: string;
    logger: Logger;
    /** Whether the feed may name the gateways that heard this incident (default yes). */
    namesGateways?: (incident: Incident) => boolean;
    /** Whether the device is a wearable (see faultJson); required, so none is missed. */
    isWearable: (deviceId: string) => boolean;
  }) {
    this.publish = options.publish;
    this.namesGateways = options.namesGateways ?? (() => true);
    this.isWearable = options.isWearable;
    this.clock = options.clock;
    this.capSender = options.capSender;
    this.logger = options.logger;
  }

  /** Retained JSON and CAP for the incident, then one line on the change stream. */
  async incidentChanged(recorded: Incident, change: IncidentChange): Promise<void> {
    const now = this.clock.now();
    const incident = this.namesGateways(recorded) ? recorded : withheldGateways(recorded);
    const json = incidentFeedJson(incident, now);
    await this.send(feedTopics.incident(incident.id), JSON.stringify(json), true);
    const cap = incidentCap(incident, now, {
      sender: this.capSender,
      first: change === 'created',
    });
    await this.send(feedTopics.cap(incident.id), cap, true);
    const line = {
      incident: incident.id,
      change,
      state: incident.state,
      kind: incident.kind,
      deviceKind: incident.deviceKind,
      atRisk: json.clock.atRisk,
      at: iso(now),
    };
    await this.send(feedTopics.changes, JSON.stringify(line), false);
  }

  /**
   * A fault opened or cleared: a line on the stream; the retained copy exists only while
   * the fault is open, so a dispatcher that subscribes sees exactly the open faults.
   */
  async faultChanged(fault: Fault): Promise<void> {
    const wearable = fault.deviceId !== null && this.isWearable(fault.deviceId);
    const json = JSON.stringify(faultJson(fault, wearable));
    await this.send(feedTopics.faults, json, false);
    const open = fault.clearedAt === null;
    await this.send(feedTopics.fault(fault.id), open ? json : '', true);
  }

  /** A non-feed message (a command reply); failures are the caller's to handle. */
  async publishRaw(topic: string, payload: string): Promise<void> {
    await this.publish(topic, payload, { qos: 1, retain: false });
  }

  private async send(topic: string, payload: string, retain: boolean): Promise<void> {
    try {
      await this.publish(topic, payload, { qos: 1, retain });
    } catch (error) {
      this.logger.error({ topic, err: error }, 'feed publish failed');
    }
  }
}
