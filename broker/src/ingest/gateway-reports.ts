// Records a gateway writes itself (edge-gateway/README.md, "Uplink"): a post silent on
// its serial link past three heartbeats, and back. A gateway holds no device key, so its
// word is trusted for supervision only: it opens or clears a `device-silent` fault named
// after that gateway, and can never raise, join or close an alarm.
import type { Fault } from '../incidents/faults';
import type { RejectionReason } from './counters';
import type { GatewayReport } from './envelope';
import type { Stores } from './record';

/** The only events a gateway may report, and what each does to the post's fault. */
const allowedEvents: Readonly<Record<string, 'open' | 'clear'>> = {
  'post-silent': 'open',
  'post-back': 'clear',
};

export type ReportVerdict =
  { ok: true; faults: Fault[] } | { ok: false; reason: RejectionReason; detail: string };

function refused(reason: RejectionReason, detail: string): ReportVerdict {
  return { ok: false, reason, detail };
}

function silenceDetail(gatewayId: string, report: GatewayReport): string {
  const port = report.port === undefined ? '' : ` port ${report.port}`;
  const since = new Date(report.firstHeard).toISOString();
  return `silent on ${gatewayId}${port} since ${since} (reported by the gateway)`;
}

/**
 * Applies one gateway record inside the ingest's transaction. `gatewayId` comes from
 * the authenticated session's topic, never from the record.
 */
export function recordGatewayReport(
  stores: Stores,
  gatewayId: string,
  report: GatewayReport,
  at: number,
): ReportVerdict {
  const action = Object.hasOwn(allowedEvents, report.event)
    ? allowedEvents[report.event]
    : undefined;
  if (action === undefined) {
    return refused('not-allowed', `gateway event ${report.event} is not allowed`);
  }
  const gateway = stores.registry.getGateway(gatewayId);
  if (gateway === undefined || gateway.retired) {
    return refused('not-allowed', 'gateway not registered');
  }
  const device = stores.registry.getDevice(report.device);
  if (device === undefined || device.retired) {
    return refused('unknown-device', 'no such device, or retired');
  }
  if (device.kind !== 'post') {
    return refused('not-allowed', 'only posts sit on a gateway serial link');
  }
  const subject = { deviceId: device.id, gatewayId };
  if (action === 'clear') {
    const cleared = stores.faults.clear('device-silent', subject, at);
    return { ok: true, faults: cleared === undefined ? [] : [cleared] };
  }
  // A report replayed from the gateway's outbox after a crash may arrive after the post
  // spoke again through this gateway: the later signed message wins (same clock).
  const heard = stores.devices
    .gatewaysFor(device.id)
    .find((h) => h.gatewayId === gatewayId);
  if (heard !== undefined && heard.lastHeard > report.lastHeard) {
    return { ok: true, faults: [] };
  }
  const opened = stores.faults.open(
    'device-silent',
    subject,
    at,
    silenceDetail(gatewayId, report),
  );
  return { ok: true, faults: opened.opened ? [opened.fault] : [] };
}
