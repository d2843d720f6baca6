// Turns `urgence.info()` into pass/fail checks a technician can read in the street. The
// thresholds are the firmware's own defaults, so the CLI and the device agree on "low".

import { postDefaults, wearableDefaults } from '@urgence/firmware';
import type { DeviceInfo } from '../console/device';

export interface Check {
  name: string;
  pass: boolean;
  /** What was seen, in words ("12.6 V", "on battery"). */
  detail: string;
}

// Below this the counter journal and config rewrites may not fit; room for a new bundle
// is checked by flash itself (checkRoom in flash.ts), against that bundle's real size.
const minStorageFree = 8 * 1024;

export function diagnoseChecks(info: DeviceInfo): Check[] {
  const configError = typeof info['error'] === 'string' ? info['error'] : undefined;
  const checks: Check[] = [{ name: 'firmware', pass: true, detail: info.version }];
  if (configError !== undefined) {
    // The firmware refused its provisioning and did not start (firmware/src/post/main.ts).
    checks.push({ name: 'config', pass: false, detail: configError });
  }
  checks.push({
    name: 'identity',
    pass: typeof info.id === 'string' && /^[0-9a-f]{8}$/.test(info.id),
    detail:
      typeof info.id === 'string' ? `${info.kind ?? '?'} ${info.id}` : 'not provisioned',
  });
  const kind = info.kind === 'wearable' ? 'wearable' : 'post';

  if (typeof info.battery === 'number') {
    const low =
      kind === 'post' ? postDefaults.batteryLowVolts : wearableDefaults.lowBatteryVolts;
    checks.push({
      name: 'battery',
      pass: info.battery >= low,
      detail: `${info.battery} V (low below ${low} V)`,
    });
  }
  if (kind === 'post' && typeof info.mains === 'boolean') {
    checks.push({
      name: 'mains',
      pass: info.mains,
      detail: info.mains ? 'on mains' : 'on battery',
    });
  }
  if (typeof info.tamper === 'boolean') {
    checks.push({
      name: 'tamper',
      pass: !info.tamper,
      detail: info.tamper ? 'door open' : 'closed',
    });
  }
  if (typeof info.storageFree === 'number') {
    checks.push({
      name: 'storage',
      pass: info.storageFree >= minStorageFree,
      detail: `${Math.round(info.storageFree / 1024)} KB free`,
    });
  }
  if (info.link !== undefined) {
    const link = String(info.link);
    checks.push({ name: 'link', pass: /^(up|ok|connected)$/i.test(link), detail: link });
  }
  if (Array.isArray(info.lastFaults)) checks.push(faultsCheck(info.lastFaults));
  if (typeof info.badFrames === 'number') {
    // Frames the link layer threw away (bad CRC or framing) since the firmware started:
    // a sound cable gives none, so any is worth a look before leaving.
    checks.push({
      name: 'noise',
      pass: info.badFrames === 0,
      detail:
        info.badFrames === 0
          ? 'no bad frames on the gateway link'
          : `${info.badFrames} bad frame(s) on the gateway link since start: ` +
            'check the cable and its shield',
    });
  }
  if (typeof info.counter === 'number') {
    checks.push({ name: 'counter', pass: true, detail: String(info.counter) });
  }
  return checks;
}

/**
 * The post keeps its last four fault reports, oldest first: "tamper" when raised,
 * "tamper cleared" when it went away (firmware/src/logic/post-alarm.ts). A fault is open
 * when its latest report is a raise. One raised and pushed out of the four by later
 * reports is missed here, but its own check (tamper, mains, battery) still fails.
 */
function faultsCheck(lastFaults: unknown[]): Check {
  const reports = lastFaults.map(String);
  const open = new Set<string>();
  for (const report of reports) {
    const cleared = / cleared$/.exec(report);
    if (cleared === null) open.add(report);
    else open.delete(report.slice(0, cleared.index));
  }
  const detail =
    reports.length === 0
      ? 'none reported since start'
      : open.size === 0
        ? `none open (last: ${reports.join(', ')})`
        : `open: ${[...open].join(', ')} (last: ${reports.join(', ')})`;
  return { name: 'faults', pass: open.size === 0, detail };
}
