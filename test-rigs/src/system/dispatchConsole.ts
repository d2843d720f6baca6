// A dispatch client of the feed (CONTRACTS.md topics): keeps the latest state of every
// incident and fault it hears, lets a scenario wait for a condition on them, and sends
// dispatch commands. The rig, `npm start` and the fleet benchmark all watch through it.

import { EventEmitter } from 'node:events';
import mqtt, { type MqttClient } from 'mqtt';

const root = 'urgence/v1/';

/** The feed's incident JSON (broker/src/feed/incident-json.ts), as far as rigs read it. */
export interface FeedIncident {
  id: string;
  kind: 'alarm' | 'test';
  device: string;
  deviceKind: 'post' | 'wearable';
  state: string;
  presses: number;
  location: {
    lat: number;
    lon: number;
    radiusM: number;
    source: string;
    label?: string;
  } | null;
  times: Record<string, string | null>;
  heardBy: { gateway: string; copies: number; bestRssi: number | null }[];
  clock: { secondsSincePress: number; atRisk: boolean; stoppedAt: string | null };
}

export interface FeedFault {
  id: number;
  kind: string;
  device: string | null;
  gateway: string | null;
  state: 'open' | 'cleared';
  openedAt: string;
  clearedAt: string | null;
}

export type DispatchCommand =
  'acknowledge' | 'dispatched' | 'on-scene' | 'close' | 'false-alarm';

interface DispatchEvents {
  incident: [FeedIncident];
  fault: [FeedFault];
  reply: [Record<string, unknown>];
}

export class DispatchConsole extends EventEmitter<DispatchEvents> {
  readonly incidents = new Map<string, FeedIncident>();
  readonly faults = new Map<number, FeedFault>();
  private nextRequest = 1;

  private constructor(
    private readonly client: MqttClient,
    private readonly name: string,
  ) {
    super();
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
  }

  static async connect(
    url: string,
    name: string,
    secret: string,
  ): Promise<DispatchConsole> {
    const client = await mqtt.connectAsync(url, {
      username: `dispatch:${name}`,
      password: secret,
      clientId: `dispatch-${name}-${process.pid}`,
      protocolVersion: 4,
      reconnectPeriod: 500,
      connectTimeout: 10_000,
    });
    const console = new DispatchConsole(client, name);
    await client.subscribeAsync(
      [
        `${root}feed/incidents/+`,
        `${root}feed/faults/+`,
        // A cleared fault's retained copy is removed: only the stream says it cleared.
        `${root}feed/faults`,
        `${root}dispatch/replies/${name}`,
      ],
      { qos: 1 },
    );
    return console;
  }

  /** Resolves with the first value `find` returns once the feed makes it defined. */
  waitFor<T>(what: string, find: () => T | undefined, timeoutMs: number): Promise<T> {
    const now = find();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found === undefined) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${what}: not seen on the feed within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.off('incident', check);
        this.off('fault', check);
      };
      this.on('incident', check);
      this.on('fault', check);
    });
  }

  incidentsOf(deviceId: string): FeedIncident[] {
    return [...this.incidents.values()].filter(
      (incident) => incident.device === deviceId,
    );
  }

  async command(command: DispatchCommand, incident: string, eta?: number): Promise<void> {
    const requestId = `${this.name}-${this.nextRequest++}`;
    const body = { command, incident, requestId, ...(eta === undefined ? {} : { eta }) };
    await this.client.publishAsync(`${root}dispatch/commands`, JSON.stringify(body), {
      qos: 1,
    });
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }

  private onMessage(topic: string, payload: Buffer): void {
    if (payload.length === 0) return;
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch {
      return;
    }
    if (topic.startsWith(`${root}feed/incidents/`)) {
      const incident = json as FeedIncident;
      this.incidents.set(incident.id, incident);
      this.emit('incident', incident);
    } else if (topic.startsWith(`${root}feed/faults`)) {
      // An open fault comes twice (stream line and retained copy): one event per change.
      const fault = json as FeedFault;
      const known = this.faults.get(fault.id);
      this.faults.set(fault.id, fault);
      if (known?.state !== fault.state) this.emit('fault', fault);
    } else {
      this.emit('reply', json as Record<string, unknown>);
    }
  }
}
