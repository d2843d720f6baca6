// The telemetry document (published every telemetryIntervalMs on .../telemetry): what an
// operator needs to see a gateway's health at a glance — backlog, traffic, drops by
// reason, the broker link, each serial link and its posts, the BLE adapter, uptime.
import type { BleScanner } from './ble/scanner';
import type { Clock } from './clock';
import type { GatewayConfig } from './config';
import type { PostMailbox } from './downlink/post-mailbox';
import type { Outbox } from './outbox/outbox';
import type { PostLink } from './serial/post-link';
import type { PostSupervisor } from './serial/supervision';
import type { GatewayCounters } from './telemetry';

export type ReportSources = {
  config: GatewayConfig;
  clock: Clock;
  startedAt: number;
  outbox: Outbox;
  counters: GatewayCounters;
  links: Map<string, PostLink>;
  supervisor: PostSupervisor;
  mailbox: PostMailbox;
  scanner?: BleScanner;
  /** Records whose store failed and is being retried (wearable frames, fault records). */
  retrying: () => number;
  broker: () => { connected: boolean; connectedAt: number | undefined };
};

export function gatewayReport(s: ReportSources) {
  const now = s.clock.now();
  const posts = s.supervisor.snapshot();
  const oldest = s.outbox.oldest();
  const broker = s.broker();
  return {
    gateway: s.config.gatewayId,
    at: new Date(now).toISOString(),
    uptimeS: seconds(now - s.startedAt),
    outbox: {
      depth: s.outbox.depth,
      bytes: s.outbox.fileBytes,
      maxBytes: s.config.outbox.maxBytes,
      // How long the oldest frame has waited for the broker's receipt (null: none waits).
      oldestAgeS: oldest === undefined ? null : seconds(now - oldest.uplink.lastHeard),
      ...s.outbox.stats,
      retrying: s.retrying(),
    },
    frames: {
      in: s.counters.framesIn,
      out: s.counters.framesOut,
      dropped: s.counters.dropped,
    },
    downlink: { ...s.counters.downlink, waiting: s.mailbox.size },
    broker: {
      connected: broker.connected,
      connectedAt: isoOrNull(broker.connectedAt),
      reconnects: s.counters.reconnects,
    },
    reconnects: s.counters.reconnects,
    links: [...s.links.values()].map((link) => ({
      port: link.path,
      state: link.state,
      ...link.stats,
      downlinksPending: link.downlinksPending,
      posts: posts
        .filter((p) => p.port === link.path)
        .map((p) => ({ device: p.device, lastHeard: p.lastHeard, silent: p.silent })),
    })),
    ble: s.scanner === undefined ? 'off' : s.scanner.state,
  };
}

const seconds = (ms: number) => Math.max(0, Math.round(ms / 1000));

const isoOrNull = (ms: number | undefined) =>
  ms === undefined ? null : new Date(ms).toISOString();
