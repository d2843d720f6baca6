// Aedes's `published` hook: hands gateway uplinks and dispatch commands to the ingest
// and answers Aedes only once the ingest's promise settles. For a QoS 2 uplink Aedes
// sends PUBREC after this answer (measured, DESIGN.md), so the receipt the gateway gets
// means the ingest has recorded the message.
import type { AedesPublishPacket, Client } from 'aedes';
import type { Logger } from 'pino';
import { identityOf } from '../auth/identity';
import { DISPATCH_COMMANDS, parseGatewayTopic } from './topics';
import type { GatewayEvents } from './gateway-events';
import type { UplinksInProgress } from './uplinks-in-progress';

export type UplinkHandler = (
  gatewayId: string,
  payload: Buffer,
  packet: AedesPublishPacket,
) => Promise<void>;

export interface DispatcherRef {
  name: string;
  clientId: string;
}

export type DispatchCommandHandler = (
  dispatcher: DispatcherRef,
  payload: Buffer,
) => Promise<void>;

export interface HookOptions {
  onUplink?: UplinkHandler;
  onDispatchCommand?: DispatchCommandHandler;
  events: GatewayEvents;
  logger: Logger;
  /** An ingest silent this long is taken as failed: no receipt, the gateway retries. */
  uplinkTimeoutMs: number;
  inProgress: UplinksInProgress;
}

/** `work`, or a rejection once `ms` pass first (the work itself is not cancelled). */
function withDeadline(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`ingest silent for ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

export function createPublishedHook(options: HookOptions) {
  const { onUplink, onDispatchCommand, events, logger, uplinkTimeoutMs, inProgress } =
    options;

  // Aedes stored the QoS 2 packet before calling us; a retransmission of a stored
  // packet gets PUBREC without reaching us again. When the ingest failed, forget it so
  // the gateway's retry is ingested rather than receipted unrecorded.
  function forgetIncoming(client: Client, packet: AedesPublishPacket) {
    if (packet.qos !== 2) return Promise.resolve();
    // Aedes's types omit the client's broker and its persistence; both are public API.
    const { persistence } = (
      client as unknown as { broker: { persistence: Persistence } }
    ).broker;
    return persistence.incomingDelPacket(client, packet).catch(() => undefined);
  }

  function uplink(
    client: Client,
    gatewayId: string,
    packet: AedesPublishPacket,
    done: Done,
  ) {
    // Begun when Aedes stored the packet (uplinks-in-progress.ts); ended here.
    // Nothing records uplinks without an ingest, so none may be receipted.
    const recording =
      onUplink === undefined
        ? Promise.reject(new Error('no ingest configured'))
        : onUplink(gatewayId, packet.payload as Buffer, packet);
    // A write that lands after the deadline makes the retry a duplicate, which the
    // ingest folds (CONTRACTS.md, "Durability receipt").
    const settled = withDeadline(recording, uplinkTimeoutMs).finally(() =>
      inProgress.end(client.id, packet.messageId),
    );
    settled.then(
      () => done(null),
      (error: unknown) => {
        logger.error(
          { gateway: gatewayId, err: error },
          'uplink not recorded: no receipt',
        );
        forgetIncoming(client, packet).then(() =>
          done(error instanceof Error ? error : new Error(String(error))),
        );
      },
    );
  }

  function command(client: Client, name: string, packet: AedesPublishPacket, done: Done) {
    if (onDispatchCommand === undefined) return done(null);
    const dispatcher = { name, clientId: client.id };
    onDispatchCommand(dispatcher, packet.payload as Buffer).then(
      () => done(null),
      (error: unknown) => {
        // A command the ingest could not handle must not cut dispatch off: log, go on.
        logger.error({ dispatcher: name, err: error }, 'dispatch command failed');
        done(null);
      },
    );
  }

  return function published(
    packet: AedesPublishPacket,
    client: Client | null,
    done: Done,
  ): void {
    const identity = identityOf(client);
    if (client === null || identity === undefined) return done(null);
    if (identity.role === 'dispatch') {
      if (packet.topic === DISPATCH_COMMANDS)
        return command(client, identity.name, packet, done);
      return done(null);
    }
    const route = parseGatewayTopic(packet.topic);
    if (route === undefined || route.gatewayId !== identity.gatewayId) return done(null);
    if (route.leaf === 'up') return uplink(client, route.gatewayId, packet, done);
    if (route.leaf === 'state')
      events.emitState(route.gatewayId, packet.payload as Buffer);
    if (route.leaf === 'telemetry') {
      events.emitTelemetry(route.gatewayId, packet.payload as Buffer);
    }
    done(null);
  };
}

type Done = (error?: Error | null) => void;

interface Persistence {
  incomingDelPacket(client: Client, packet: AedesPublishPacket): Promise<void>;
}
