// The ingest's face to the broker: createIngest() gives the two seams startBroker() calls
// (onUplink, onDispatchCommand), gateway state for supervision, counters, and stop().
import type { Logger } from 'pino';
import type { Registry } from '../registry/index';
import type { Clock, Publish } from '../feed/publisher';
import { ClockWatch } from '../feed/clock-watch';
import { FaultBook } from '../supervision/fault-book';
import { Supervisor } from '../supervision/supervisor';
import type { SupervisionOptions, Timers } from '../supervision/supervisor';
import { applyCommand } from './commands';
import type { CommandReply } from './commands';
import type { Outcome } from './counters';
import { createCore, DUPLICATE_HORIZON_MS, UplinkIngest } from './pipeline';
import type { IngestCore, IngestOptions } from './pipeline';

export interface CreateIngestOptions {
  readonly registry: Registry;
  readonly publish: Publish;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly timers?: Timers;
  readonly options?: IngestOptions & { supervision?: Partial<SupervisionOptions> };
}

export interface Ingest {
  /**
   * Resolves once the message is recorded durably (or counted as refused); rejects when
   * it could not be recorded (storage failed, or processing threw): no receipt then.
   */
  onUplink(gatewayId: string, payload: Uint8Array): Promise<void>;
  /** `dispatcher`: the MQTT username without its "dispatch:" prefix. */
  onDispatchCommand(dispatcher: string, payload: Uint8Array): Promise<CommandReply>;
  /** From the gateway's retained state topic, its last will, or its disconnect. */
  onGatewayState(gatewayId: string, state: 'online' | 'offline'): Promise<void>;
  /**
   * The gateway's downlink subscription is in place again (broker event
   * `downlinkReady`): re-send it the current ack of every incident it heard that is
   * open or recently finished. Resolves with how many incidents it was told about.
   */
  onGatewayDownlinkReady(gatewayId: string): Promise<number>;
  counters(): Record<Outcome, number>;
  readonly core: IngestCore;
  stop(): void;
}

/**
 * Retained messages live in Aedes's memory and do not survive a broker restart: the
 * current state of every open incident and fault is published again at start. Each one
 * on its own: a record the feed cannot show must not hide the ones after it.
 */
async function republishOpen(core: IngestCore): Promise<void> {
  for (const incident of core.stores.incidents.listOpen()) {
    await republish(core, { incident: incident.id }, () =>
      core.feed.incidentChanged(incident, 'republished'),
    );
  }
  for (const fault of core.stores.faults.listOpen()) {
    await republish(core, { fault: fault.id }, () => core.feed.faultChanged(fault));
  }
}

async function republish(
  core: IngestCore,
  ids: { incident?: string; fault?: number },
  send: () => Promise<void>,
): Promise<void> {
  try {
    await send();
  } catch (error) {
    core.counters.add('feed-failed');
    core.logger.error({ ...ids, err: error }, 'open record not republished');
  }
}

export function createIngest(options: CreateIngestOptions): Ingest {
  const core = createCore(options);
  const uplinks = new UplinkIngest(core, options.options?.ackRepeatMs ?? 10_000);
  const clockWatch = new ClockWatch(core.stores.incidents, core.feed, core.clock);
  // Operators see the counts (accepted, duplicate, each refusal) once per check when
  // they moved: a rising bad-tag or replay count is how an attack or a bad key shows.
  let lastCounts = '';
  const reportCounters = () => {
    const counts = core.counters.snapshot();
    const text = JSON.stringify(counts);
    if (text === lastCounts) return;
    lastCounts = text;
    core.logger.info({ counts }, 'ingest counters');
  };
  const supervisor = new Supervisor({
    alsoCheck: async () => {
      await clockWatch.check();
      core.stores.devices.pruneMessages(core.clock.now() - DUPLICATE_HORIZON_MS);
      reportCounters();
    },
    db: options.registry.db,
    faults: new FaultBook(core.stores.faults, core.feed, core.logger),
    logger: core.logger,
    now: () => core.clock.now(),
    ...(options.options?.supervision === undefined
      ? {}
      : { options: options.options.supervision }),
    ...(options.timers === undefined ? {} : { timers: options.timers }),
  });
  supervisor.start();
  republishOpen(core).catch((error: unknown) =>
    core.logger.error({ err: error }, 'republishing open incidents failed'),
  );
  return {
    onUplink: (gatewayId, payload) => uplinks.onUplink(gatewayId, payload),
    onDispatchCommand: (dispatcher, payload) => applyCommand(core, dispatcher, payload),
    onGatewayState: (gatewayId, state) => supervisor.gatewayState(gatewayId, state),
    onGatewayDownlinkReady: (gatewayId) =>
      core.acks.resendTo(gatewayId, core.stores.incidents),
    counters: () => core.counters.snapshot(),
    core,
    stop: () => supervisor.stop(),
  };
}

export type { CommandReply } from './commands';
export type { Outcome } from './counters';
export { encodeUplink, decodeUplink } from './envelope';
export type { UplinkEnvelope, DownlinkEnvelope, GatewayReport } from './envelope';
