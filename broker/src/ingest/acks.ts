// Acks down to the device, signed with its key: a COSE_Mac0 Ack for a post, the wearable
// ack frame (addressed by rotating id) for a wearable, sent on the downlink of every
// gateway that heard the device recently, so the one it is still near delivers it.
import {
  AckStage,
  MessageType,
  encodeWearableAck,
  sealMessage,
  windowOf,
} from '@urgence/protocol';
import type { AckMessage } from '@urgence/protocol';
import type { Logger } from 'pino';
import type { Registry } from '../registry/index';
import type { DeviceStore } from '../incidents/devices';
import type { IncidentStore } from '../incidents/store';
import type { AckSubject, Incident } from '../incidents/types';
import type { Clock, Publish } from '../feed/publisher';
import { gatewayTopic } from '../server/topics';
import { encodeDownlink } from './envelope';
import { sha256 } from './crypto';

/**
 * Gateways that heard the device within this long of the latest hearing get the ack: a
 * wearable is often heard by several, and the strongest may not be the one it walks to.
 */
export const ACK_FANOUT_MS = 5 * 60_000;

/** What the device is told for each incident state (post LEDs: received, help coming). */
export function stageFor(incident: Pick<Incident, 'state'>): AckMessage['stage'] {
  if (incident.state === 'new') return AckStage.Received;
  if (incident.state === 'closed' || incident.state === 'false-alarm')
    return AckStage.Closed;
  return AckStage.HelpComing;
}

/**
 * A gateway that reconnects is told again the stage of every incident it heard that is
 * open or finished this recently: a post whose "closed" ack was lost still stops.
 */
export const RESEND_FINISHED_MS = 10 * 60_000;

export class AckSender {
  private readonly registry: Registry;
  private readonly devices: DeviceStore;
  private readonly publish: Publish;
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(deps: {
    registry: Registry;
    devices: DeviceStore;
    publish: Publish;
    clock: Clock;
    logger: Logger;
  }) {
    this.registry = deps.registry;
    this.devices = deps.devices;
    this.publish = deps.publish;
    this.clock = deps.clock;
    this.logger = deps.logger;
  }

  /**
   * Sends the ack for the incident's current stage; returns the gateways it went to:
   * those that heard the device lately, or only `to` (a gateway that reconnected).
   */
  async send(incident: AckSubject, to?: string): Promise<string[]> {
    const device = this.registry.getDevice(incident.deviceId);
    if (device === undefined || device.retired) return [];
    const ack: AckMessage = {
      type: MessageType.Ack,
      ref: incident.lastCounter,
      stage: stageFor(incident),
      ...(incident.etaSeconds === null || stageFor(incident) !== AckStage.HelpComing
        ? {}
        : { eta: incident.etaSeconds }),
    };
    // During a rotation's grace the device may still hold the old key: answer with the
    // key its last message verified with.
    const state = this.devices.get(device.id);
    const key =
      state?.onPreviousKey === true && device.previousKey !== undefined
        ? device.previousKey.key
        : device.key;
    const frames = this.framesFor(device, key, ack);
    const gateways = to === undefined ? this.recentGateways(device.id) : [to];
    for (const gatewayId of gateways) {
      for (const frame of frames) {
        try {
          await this.publish(gatewayTopic(gatewayId, 'down'), encodeDownlink(frame), {
            qos: 1,
            retain: false,
          });
        } catch (error) {
          this.logger.error({ gateway: gatewayId, err: error }, 'ack publish failed');
        }
      }
    }
    this.logger.info(
      { incident: incident.id, device: device.id, stage: ack.stage, gateways },
      'ack sent',
    );
    return gateways;
  }

  /**
   * Gateways use clean sessions (a resumed one let Aedes swallow a new QoS 2 message
   * that reused an old message id), so a downlink published while a gateway was away is
   * lost. When its downlink is back, it gets the latest ack of each incident it heard.
   */
  async resendTo(gatewayId: string, incidents: IncidentStore): Promise<number> {
    const since = this.clock.now() - RESEND_FINISHED_MS;
    const heard = incidents.listHeardBy(gatewayId, since);
    for (const incident of heard) await this.send(incident, gatewayId);
    if (heard.length > 0) {
      this.logger.info({ gateway: gatewayId, incidents: heard.length }, 'acks re-sent');
    }
    return heard.length;
  }

  private recentGateways(deviceId: string): string[] {
    const heard = this.devices.gatewaysFor(deviceId);
    if (heard.length === 0) return [];
    const latest = heard[0].lastHeard;
    return heard
      .filter((entry) => latest - entry.lastHeard <= ACK_FANOUT_MS)
      .map((entry) => entry.gatewayId);
  }

  /**
   * A post gets one COSE_Mac0. A wearable gets the ack frame for the window it was last
   * heard in and, when the window has turned since, for the current one too: it may be
   * listening under either id at the boundary.
   */
  private framesFor(
    device: { id: string; kind: string },
    key: Uint8Array,
    ack: AckMessage,
  ) {
    if (device.kind === 'post') {
      return [
        {
          v: 1 as const,
          link: 'serial' as const,
          device: device.id,
          frame: sealMessage(sha256, device.id, key, ack),
        },
      ];
    }
    const current = windowOf(Math.floor(this.clock.now() / 1000));
    const heardIn = this.devices.get(device.id)?.lastWindow ?? current;
    const windows = heardIn === current ? [current] : [heardIn, current];
    return windows.map((window) => {
      const frame = encodeWearableAck(sha256, key, window, ack);
      return {
        v: 1 as const,
        link: 'ble' as const,
        rotatingId: frame.subarray(1, 9),
        frame,
      };
    });
  }
}
