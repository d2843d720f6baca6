// Commands from dispatch (acknowledge, dispatched with ETA, on scene, close, false alarm):
// checked, applied to the incident, answered on the dispatcher's reply topic, announced
// on the feed, and sent down to the device as a signed ack.
import { judgeTransition } from '../incidents/lifecycle';
import type { IncidentState } from '../incidents/lifecycle';
import { repliesTopic } from '../server/topics';
import type { IngestCore } from './pipeline';

const commandStates: Record<string, IncidentState> = {
  acknowledge: 'acknowledged',
  dispatched: 'dispatched',
  'on-scene': 'on-scene',
  close: 'closed',
  'false-alarm': 'false-alarm',
};

/** ETA bound: the wearable ack frame carries up to 65,534 s; over an hour is a typo. */
const MAX_ETA_SECONDS = 3_600;

export interface DispatchCommand {
  readonly command: keyof typeof commandStates;
  readonly incident: string;
  readonly eta?: number;
  readonly requestId?: string;
}

type Parsed = { ok: true; command: DispatchCommand } | { ok: false; error: string };

export function parseCommand(payload: Uint8Array): Parsed {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    return { ok: false, error: 'command is not JSON' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, error: 'command must be a JSON object' };
  }
  const fields = raw as Record<string, unknown>;
  const requestId = fields.requestId;
  if (
    requestId !== undefined &&
    (typeof requestId !== 'string' || requestId.length > 64)
  ) {
    return { ok: false, error: 'requestId must be a string of at most 64 characters' };
  }
  if (typeof fields.command !== 'string' || !(fields.command in commandStates)) {
    const known = Object.keys(commandStates).join(', ');
    return { ok: false, error: `command must be one of: ${known}` };
  }
  if (typeof fields.incident !== 'string' || !/^inc-\d{6,}$/.test(fields.incident)) {
    return { ok: false, error: 'incident must be an incident id such as inc-000001' };
  }
  const eta = fields.eta;
  if (eta !== undefined) {
    if (fields.command !== 'dispatched') {
      return { ok: false, error: 'eta belongs to the dispatched command only' };
    }
    if (
      typeof eta !== 'number' ||
      !Number.isInteger(eta) ||
      eta < 0 ||
      eta > MAX_ETA_SECONDS
    ) {
      return { ok: false, error: `eta must be whole seconds, 0..${MAX_ETA_SECONDS}` };
    }
  }
  return {
    ok: true,
    command: {
      command: fields.command,
      incident: fields.incident,
      ...(eta === undefined ? {} : { eta: eta as number }),
      ...(requestId === undefined ? {} : { requestId: requestId as string }),
    },
  };
}

export type CommandReply =
  | {
      ok: true;
      requestId?: string;
      incident: string;
      state: IncidentState;
      repeated: boolean;
      ackSentTo: string[];
    }
  | { ok: false; requestId?: string; incident?: string; error: string };

/** Applies one command from `dispatcher` (MQTT username without "dispatch:"). */
export async function applyCommand(
  core: IngestCore,
  dispatcher: string,
  payload: Uint8Array,
): Promise<CommandReply> {
  const parsed = parseCommand(payload);
  const reply: CommandReply = parsed.ok
    ? await apply(core, dispatcher, parsed.command)
    : { ok: false, error: parsed.error };
  if (!reply.ok) {
    core.logger.info(
      { dispatcher, error: reply.error, incident: reply.incident },
      'command refused',
    );
  }
  try {
    await core.feed.publishRaw(repliesTopic(dispatcher), JSON.stringify(reply));
  } catch (error) {
    core.logger.error({ dispatcher, err: error }, 'command reply not published');
  }
  return reply;
}

async function apply(
  core: IngestCore,
  dispatcher: string,
  command: DispatchCommand,
): Promise<CommandReply> {
  const echo = command.requestId === undefined ? {} : { requestId: command.requestId };
  const store = core.stores.incidents;
  const incident = store.get(command.incident);
  if (incident === undefined) {
    return { ok: false, ...echo, incident: command.incident, error: 'unknown incident' };
  }
  const target = commandStates[command.command];
  const verdict = judgeTransition(incident.state, target);
  if (verdict.kind === 'refused') {
    return {
      ok: false,
      ...echo,
      incident: incident.id,
      error: `${verdict.reason}: incident is ${incident.state}`,
    };
  }
  const updatesEta =
    target === 'dispatched' &&
    command.eta !== undefined &&
    command.eta !== incident.etaSeconds;
  const repeated = verdict.kind === 'repeat' && !updatesEta;
  if (!repeated) {
    const at = core.clock.now();
    core.stores.registry.db.transaction(() =>
      store.moveTo(incident.id, target, at, `dispatch:${dispatcher}`, command.eta),
    )();
  }
  const updated = store.require(incident.id);
  core.logger.info(
    { incident: updated.id, device: updated.deviceId, state: updated.state, dispatcher },
    repeated ? 'command repeated' : 'incident moved',
  );
  if (!repeated) await core.feed.incidentChanged(updated, 'state');
  const ackSentTo = await core.acks.send(updated);
  return {
    ok: true,
    ...echo,
    incident: updated.id,
    state: updated.state,
    repeated,
    ackSentTo,
  };
}
