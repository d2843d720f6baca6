// The ingest: every uplink message from a gateway goes through decode → resolve → verify
// → replay check → durable record → feed and ack. onUplink's promise gates the QoS 2
// PUBREC (CONTRACTS.md, "Durability receipt"), so it resolves only after the commit.
// Whatever a gateway sends is counted, not thrown; it rejects only when the uplink could
// not be recorded (storage failed, or the broker's own code threw), so no receipt goes.
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { bytesEqual } from '@urgence/protocol';
import type { Registry } from '../registry/index';
import { applyIncidentSchema } from '../incidents/schema';
import { DeviceStore } from '../incidents/devices';
import { FaultStore } from '../incidents/faults';
import { IncidentStore } from '../incidents/store';
import { DispatchFeed } from '../feed/publisher';
import type { Clock, Publish } from '../feed/publisher';
import { AckSender } from './acks';
import { IngestCounters } from './counters';
import type { Outcome, RejectionReason } from './counters';
import { decodeUplink } from './envelope';
import type { GatewayReport } from './envelope';
import { recordGatewayReport } from './gateway-reports';
import { recordDuplicate, recordFresh } from './record';
import type { Arrival, Effects, Stores } from './record';
import { ReplayBook } from './replay';
import { verifyUplink } from './verify';
import type { VerifiedMessage } from './verify';
import { WearableIndex } from './wearables';

/**
 * A message seen before counts as a duplicate (joins, not an error) when its first copy
 * arrived within this long, or its incident is still open: gateways resend after a crash
 * or a broker outage. Older copies are replays: an attacker's recording, refused.
 */
export const DUPLICATE_HORIZON_MS = 15 * 60_000;

/** Uplinks recorded per transaction at most, so one commit never holds PUBRECs long. */
const MAX_BATCH = 256;

/** What one uplink of a batch came to: changes to announce, or the error it threw. */
type Taken =
  | { readonly ok: true; readonly effects: Effects | undefined }
  | { readonly ok: false; readonly error: unknown };

interface QueuedUplink {
  readonly gatewayId: string;
  readonly payload: Uint8Array;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export interface IngestOptions {
  /** CAP 1.2 sender (no spaces or commas). */
  readonly capSender?: string;
  /**
   * An acknowledged-again duplicate re-sends the ack at most this often per device: a
   * wearable that missed its ack keeps repeating the alarm and must hear it again.
   */
  readonly ackRepeatMs?: number;
}

export interface IngestDeps {
  readonly registry: Registry;
  readonly publish: Publish;
  readonly clock?: Clock;
  readonly logger: Logger;
  readonly options?: IngestOptions;
}

export interface IngestCore {
  readonly stores: Stores;
  readonly feed: DispatchFeed;
  readonly acks: AckSender;
  readonly counters: IngestCounters;
  readonly clock: Clock;
  readonly logger: Logger;
}

export class UplinkIngest {
  private readonly core: IngestCore;
  private readonly replay: ReplayBook;
  private readonly wearables: WearableIndex;
  private readonly lastAckRepeat = new Map<string, number>();
  private readonly ackRepeatMs: number;
  private readonly queue: QueuedUplink[] = [];
  /** take() inside a savepoint: better-sqlite3 nests a transaction as a SAVEPOINT. */
  private readonly takeInSavepoint: (gatewayId: string, payload: Uint8Array) => Taken;

  constructor(core: IngestCore, ackRepeatMs: number) {
    this.core = core;
    this.replay = new ReplayBook(core.stores.devices, core.logger);
    this.wearables = new WearableIndex(core.stores.registry);
    this.ackRepeatMs = ackRepeatMs;
    this.takeInSavepoint = core.stores.registry.db.transaction(
      (gatewayId: string, payload: Uint8Array): Taken => ({
        ok: true,
        effects: this.take(gatewayId, payload),
      }),
    );
  }

  /**
   * Queues the uplink for the next group commit and resolves once it is on disk (and
   * announced). Rejects when storage fails or its processing threw: not recorded, so
   * not receipted, and the gateway keeps the message.
   */
  onUplink(gatewayId: string, payload: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ gatewayId, payload, resolve, reject });
      if (this.queue.length === 1) setImmediate(() => this.flushSafely());
    });
  }

  /** flush() settles every uplink itself; this is the last guard of the process. */
  private flushSafely(): void {
    const batch = this.queue.slice(0, MAX_BATCH);
    this.flush().catch((error: unknown) => {
      this.core.logger.error({ err: error }, 'uplink batch failed');
      // Settling twice is a no-op: only the uplinks still waiting are refused.
      for (const uplink of batch) uplink.reject(error);
    });
  }

  /**
   * Group commit: every uplink that arrived during one event-loop turn is recorded in one
   * transaction, so a storm pays one fsync per batch rather than one per alarm, and the
   * PUBREC of each still waits for the commit that holds it.
   */
  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, MAX_BATCH);
    if (this.queue.length > 0) setImmediate(() => this.flushSafely());
    let outcomes: Taken[];
    try {
      outcomes = this.core.stores.registry.db.transaction(() =>
        batch.map((uplink) => this.takeAlone(uplink.gatewayId, uplink.payload)),
      )();
    } catch (error) {
      this.replay.forgetAll();
      this.core.logger.error({ err: error, batch: batch.length }, 'uplinks not recorded');
      for (const uplink of batch) uplink.reject(error);
      return;
    }
    // Announced one by one, in order (a later retained state must land last); settled
    // together once all are out, so that Aedes sends the batch's PUBRECs in one tick
    // and one writev rather than one system call each between the announcements.
    for (let index = 0; index < batch.length; index += 1) {
      const outcome = outcomes[index];
      if (outcome.ok && outcome.effects !== undefined) {
        await this.announceSafely(batch[index].gatewayId, outcome.effects);
      }
    }
    for (let index = 0; index < batch.length; index += 1) {
      const outcome = outcomes[index];
      if (outcome.ok) batch[index].resolve();
      else batch[index].reject(outcome.error);
    }
  }

  /**
   * One uplink in its own savepoint: when its processing throws for a reason other than
   * storage, only its own writes roll back and the rest of the batch is still recorded.
   */
  private takeAlone(gatewayId: string, payload: Uint8Array): Taken {
    try {
      return this.takeInSavepoint(gatewayId, payload);
    } catch (error) {
      // Storage failing fails the whole batch (flush); the gateways retry.
      if (error instanceof Database.SqliteError) throw error;
      // Its replay admission may have been rolled back with it: reload from the store.
      this.replay.forgetAll();
      this.count('internal-error');
      this.core.logger.error(
        { gateway: gatewayId, err: error },
        'uplink processing threw: not recorded, no receipt',
      );
      return { ok: false, error };
    }
  }

  /**
   * The uplink is on disk and its PUBREC may go whatever happens here: the feed's
   * failure is logged and counted, and the incident is republished at the next start.
   */
  private async announceSafely(gatewayId: string, effects: Effects): Promise<void> {
    try {
      await this.announce(effects);
    } catch (error) {
      this.count('feed-failed');
      this.core.logger.error(
        {
          gateway: gatewayId,
          incidents: effects.incidents.map((entry) => entry.incident.id),
          faults: effects.faults.map((fault) => fault.id),
          err: error,
        },
        'recorded uplink not announced on the feed',
      );
    }
  }

  /** Synchronous from decode to commit: no other uplink interleaves with it. */
  private take(gatewayId: string, payload: Uint8Array): Effects | undefined {
    const now = this.core.clock.now();
    const decoded = decodeUplink(payload);
    if (!decoded.ok) return this.reject('malformed', gatewayId, decoded.reason);
    if ('report' in decoded) return this.takeReport(gatewayId, decoded.report, now);
    const envelope = decoded.envelope;
    // A throw in here (a bug met by odd input) is not the gateway's fault and may hide a
    // real alarm: takeAlone() refuses the uplink unreceipted rather than dropping it.
    const verdict = verifyUplink(
      envelope,
      this.core.stores.registry,
      this.wearables,
      now,
    );
    if (!verdict.ok) {
      return this.reject(verdict.reason, gatewayId, verdict.detail, verdict.deviceId);
    }
    const arrival: Arrival = { gatewayId, envelope, receivedAt: now };
    return this.record(verdict.verified, arrival);
  }

  /** A gateway's own supervision record: a fault opened or cleared, nothing else. */
  private takeReport(
    gatewayId: string,
    report: GatewayReport,
    now: number,
  ): Effects | undefined {
    const verdict = recordGatewayReport(this.core.stores, gatewayId, report, now);
    if (!verdict.ok) {
      return this.reject(verdict.reason, gatewayId, verdict.detail, report.device);
    }
    this.count('gateway-report');
    this.core.logger.info(
      { gateway: gatewayId, device: report.device, event: report.event },
      'gateway report recorded',
    );
    return { incidents: [], faults: verdict.faults };
  }

  private record(verified: VerifiedMessage, arrival: Arrival): Effects | undefined {
    const deviceId = verified.device.id;
    const counter = verified.message.counter;
    const stores = this.core.stores;
    const ids = { device: deviceId, counter, gateway: arrival.gatewayId };
    if (!this.replay.isFresh(deviceId, counter)) {
      const earlier = stores.devices.findMessage(deviceId, counter);
      if (earlier === undefined || !bytesEqual(earlier.tag, verified.tag)) {
        return this.reject(
          'replay',
          arrival.gatewayId,
          'counter reused',
          deviceId,
          counter,
        );
      }
      if (
        !this.withinHorizon(earlier.receivedAt, earlier.incidentId, arrival.receivedAt)
      ) {
        return this.reject('replay', arrival.gatewayId, 'stale copy', deviceId, counter);
      }
      this.count('duplicate');
      this.core.logger.debug(ids, 'duplicate joined');
      if (earlier.incidentId === null) return undefined;
      const incidentId = earlier.incidentId;
      const joined = recordDuplicate(stores, incidentId, arrival);
      const repeat = this.ackRepeatDue(deviceId, arrival.receivedAt);
      return {
        incidents: [joined],
        faults: [],
        ...(repeat ? { receivedAck: { incident: joined.incident } } : {}),
      };
    }
    this.replay.admit(deviceId, counter);
    const effects = recordFresh(stores, verified, arrival);
    this.count('accepted');
    this.lastAckRepeat.set(deviceId, arrival.receivedAt);
    this.core.logger.info({ ...ids, type: verified.message.type }, 'uplink recorded');
    return effects;
  }

  private withinHorizon(
    firstAt: number,
    incidentId: string | null,
    now: number,
  ): boolean {
    if (now - firstAt <= DUPLICATE_HORIZON_MS) return true;
    if (incidentId === null) return false;
    const incident = this.core.stores.incidents.get(incidentId);
    return incident !== undefined && this.core.stores.incidents.isOpen(incident);
  }

  private ackRepeatDue(deviceId: string, now: number): boolean {
    const last = this.lastAckRepeat.get(deviceId) ?? -Infinity;
    if (now - last < this.ackRepeatMs) return false;
    this.lastAckRepeat.set(deviceId, now);
    return true;
  }

  private async announce(effects: Effects): Promise<void> {
    for (const entry of effects.incidents) {
      await this.core.feed.incidentChanged(entry.incident, entry.change);
    }
    for (const fault of effects.faults) await this.core.feed.faultChanged(fault);
    if (effects.receivedAck !== undefined) {
      // Read again: a command may have moved the incident since (the ack says its stage).
      const id = effects.receivedAck.incident.id;
      const incident = this.core.stores.incidents.ackSubject(id);
      if (incident === undefined) throw new Error(`incident ${id} vanished after commit`);
      await this.core.acks.send(incident);
    }
  }

  private count(outcome: Outcome): void {
    this.core.counters.add(outcome);
  }

  private reject(
    reason: RejectionReason,
    gatewayId: string,
    detail: string,
    deviceId?: string,
    counter?: number,
  ): undefined {
    this.count(reason);
    this.core.logger.debug(
      { reason, gateway: gatewayId, device: deviceId, counter, detail },
      'uplink rejected',
    );
    return undefined;
  }
}

/** Builds the ingest's stores and sender on the registry's database. */
export function createCore(deps: IngestDeps): IngestCore {
  applyIncidentSchema(deps.registry);
  const clock = deps.clock ?? { now: () => Date.now() };
  const db = deps.registry.db;
  const stores: Stores = {
    registry: deps.registry,
    incidents: new IncidentStore(db),
    devices: new DeviceStore(db),
    faults: new FaultStore(db),
  };
  const feed = new DispatchFeed({
    publish: deps.publish,
    clock,
    capSender: deps.options?.capSender ?? 'urgence-broker',
    logger: deps.logger,
    namesGateways: (incident) =>
      incident.deviceKind === 'post' ||
      deps.registry.getDevice(incident.deviceId)?.policy === 'precise',
    // A device unknown to the registry is taken as a wearable: its fault says less.
    isWearable: (deviceId) => deps.registry.getDevice(deviceId)?.kind !== 'post',
  });
  const acks = new AckSender({
    registry: deps.registry,
    devices: stores.devices,
    publish: deps.publish,
    clock,
    logger: deps.logger,
  });
  return {
    stores,
    feed,
    acks,
    counters: new IngestCounters(),
    clock,
    logger: deps.logger,
  };
}
