// The CLI as a dispatch client of the broker, for test alarms: it watches the incident
// feed and sends dispatch commands, waiting for the broker's reply to each.

import { randomUUID } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { CliError, ExitCode } from '../exit-codes';

/** The fields of the feed's incident JSON (broker/src/feed/incident-json.ts) used here. */
export interface FeedIncident {
  id: string;
  kind: 'alarm' | 'test';
  device: string;
  state: string;
  times: Record<string, string | null>;
}

export interface DispatchLogin {
  url: string;
  /** Dispatcher name; the MQTT username is `dispatch:<name>` (CONTRACTS.md). */
  name: string;
  password: string;
  ca?: Buffer;
}

/** The broker's topic names, loaded with mqtt only when test-alarm runs. */
interface Topics {
  commands: string;
  incidents: string;
  replies: string;
  /** The retained CAP 1.2 alert of one incident. */
  cap: (incident: string) => string;
}

export class DispatchClient {
  private readonly incidentListeners = new Set<(incident: FeedIncident) => void>();
  private readonly replyWaiters = new Map<
    string,
    (reply: Record<string, unknown>) => void
  >();
  private readonly capWaiters = new Map<string, (alert: string) => void>();

  private constructor(
    private readonly client: MqttClient,
    private readonly topics: Topics,
  ) {
    client.on('message', (topic, payload) => this.receive(topic, payload));
  }

  static async connect(login: DispatchLogin, timeoutMs: number): Promise<DispatchClient> {
    const [{ default: mqtt }, broker] = await Promise.all([
      import('mqtt'),
      import('@urgence/broker'),
    ]);
    const topics: Topics = {
      commands: broker.DISPATCH_COMMANDS,
      incidents: `${broker.FEED_ROOT}incidents/+`,
      replies: broker.repliesTopic(login.name),
      cap: (incident) => `${broker.FEED_ROOT}cap/${incident}`,
    };
    const client = mqtt.connect(login.url, {
      protocolVersion: 4, // Aedes 1.x speaks MQTT 3.1.1 only (DESIGN.md).
      username: `dispatch:${login.name}`,
      password: login.password,
      clientId: `urgence-cli-${randomUUID().slice(0, 8)}`,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: timeoutMs,
      ...(login.ca === undefined ? {} : { ca: login.ca }),
    });
    try {
      await new Promise<void>((resolve, reject) => {
        client.once('connect', () => resolve());
        client.once('error', reject);
        client.once('close', () => reject(new Error('connection closed')));
      });
      const dispatch = new DispatchClient(client, topics);
      await client.subscribeAsync([topics.incidents, topics.replies], { qos: 1 });
      return dispatch;
    } catch (error) {
      client.end(true);
      throw new CliError(
        ExitCode.BrokerUnreachable,
        `cannot log in to the broker at ${login.url} as dispatch:${login.name}: ` +
          (error instanceof Error ? error.message : String(error)),
        'check --broker, the dispatcher name and URGENCE_DISPATCH_PASSWORD; ' +
          'is the machine online?',
      );
    }
  }

  onIncident(listener: (incident: FeedIncident) => void): () => void {
    this.incidentListeners.add(listener);
    return () => this.incidentListeners.delete(listener);
  }

  /** Sends a dispatch command and resolves with the broker's reply (ok or refused). */
  async command(
    command: string,
    incident: string,
    timeoutMs: number,
  ): Promise<Record<string, unknown>> {
    const requestId = randomUUID();
    const replied = new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.replyWaiters.delete(requestId);
        reject(new Error(`no reply to ${command} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.replyWaiters.set(requestId, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
    });
    await this.client.publishAsync(
      this.topics.commands,
      JSON.stringify({ command, incident, requestId }),
      { qos: 1 },
    );
    return replied;
  }

  /**
   * The <status> of the incident's CAP alert as the broker retains it: "Test" for a test
   * alarm, "Actual" for one dispatch must act on (CAP 1.2 §3.2.1 status).
   */
  async capStatus(incident: string, timeoutMs: number): Promise<string> {
    const topic = this.topics.cap(incident);
    const alert = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.capWaiters.delete(topic);
        reject(new Error(`no CAP alert for ${incident} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.capWaiters.set(topic, (xml) => {
        clearTimeout(timer);
        resolve(xml);
      });
    });
    await this.client.subscribeAsync(topic, { qos: 1 });
    const xml = await alert.finally(() => void this.client.unsubscribeAsync(topic));
    return /<status>([^<]*)<\/status>/.exec(xml)?.[1] ?? '(none)';
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }

  private receive(topic: string, payload: Buffer): void {
    const capWaiter = this.capWaiters.get(topic);
    if (capWaiter !== undefined) {
      this.capWaiters.delete(topic);
      capWaiter(payload.toString('utf8'));
      return;
    }
    let document: unknown;
    try {
      document = JSON.parse(payload.toString('utf8'));
    } catch {
      return; // Not ours to judge: the feed is the broker's; a bad payload is skipped.
    }
    if (typeof document !== 'object' || document === null) return;
    const fields = document as Record<string, unknown>;
    if (topic === this.topics.replies) {
      const waiter = this.replyWaiters.get(String(fields['requestId']));
      if (waiter !== undefined) {
        this.replyWaiters.delete(String(fields['requestId']));
        waiter(fields);
      }
      return;
    }
    if (typeof fields['id'] === 'string' && typeof fields['device'] === 'string') {
      for (const listener of this.incidentListeners)
        listener(fields as unknown as FeedIncident);
    }
  }
}
