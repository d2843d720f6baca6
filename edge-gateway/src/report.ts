// The telemetry document (published every telemetryIntervalMs on .../telemetry): what an
// operator needs to see a gateway's health at a glance — backlog, traffic, drops by
// reason, each serial link and its posts, the BLE adapter, uptime.
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
};

export function gatewayReport(s: ReportSources) {
  const now = s.clock.now();
  const posts = s.supervisor.snapshot();
  return {
    gateway: s.config.gatewayId,
    at: new Date(now).toISOString(),
    uptimeS: Math.round((now - s.startedAt) / 1000),
    outbox: {
      depth: s.outbox.depth,
      bytes: s.outbox.fileBytes,
      maxBytes: s.config.outbox.maxBytes,
      ...s.outbox.stats,
    },
    frames: {
      in: s.counters.framesIn,
      out: s.counters.framesOut,
      dropped: s.counters.dropped,
    },
    downlink: { ...s.counters.downlink, waiting: s.mailbox.size },
    reconnects: s.counters.reconnects,
    links: [...s.links.values()].map((link) => ({
      port: link.path,
      state: link.state,
      ...link.stats,
      posts: posts
        .filter((p) => p.port === link.path)
        .map((p) => ({ device: p.device, lastHeard: p.lastHeard, silent: p.silent })),
    })),
    ble: s.scanner === undefined ? 'off' : s.scanner.state,
  };
}
