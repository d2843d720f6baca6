// A test alarm end to end: raised on the post through its console, seen in the dispatch
// feed as a test incident, acknowledged by us as dispatch, and the acknowledgement seen
// back on the post. Each stage is timed from the raise, so a slow hop stands out.

import { readInfo, type DeviceInfo } from '../console/device';
import type { EspruinoConsole } from '../console/espruino-console';
import { CliError, ExitCode } from '../exit-codes';
import type { DispatchClient, FeedIncident } from './dispatch-client';

export interface Stage {
  stage: string;
  /** Milliseconds since the test alarm was raised on the device. */
  afterMs: number;
}

export interface TestAlarmResult {
  device: string;
  incident: string;
  /** The CAP 1.2 status of the incident's alert: always "Test" when this returns. */
  capStatus: string;
  stages: Stage[];
}

export interface TestAlarmOptions {
  timeoutMs: number;
  /** How often the device's stage is read while waiting for an ack to arrive. */
  pollMs?: number;
  onStage?: (stage: Stage) => void;
}

/** Why a missing stage probably went missing, and where to look. */
const hints: Record<string, string> = {
  'incident in feed':
    'the alarm did not reach the broker: check the link with `urgence diagnose PORT` and ' +
    'that the gateway is online (`urgence status`)',
  'CAP status Test':
    'the broker published no CAP alert for the incident: check the broker log',
  'device shows received':
    'the broker has it but its ack did not come back down: check the gateway downlink',
  'acknowledged by dispatch': 'the broker refused or ignored the acknowledge command',
  'device shows help coming':
    'dispatch acknowledged but the device did not show it: check the gateway downlink',
};

export async function runTestAlarm(
  device: EspruinoConsole,
  dispatch: DispatchClient,
  options: TestAlarmOptions,
): Promise<TestAlarmResult> {
  const info = await readInfo(device);
  const deviceId = requireId(info);
  const incidents = new IncidentWatch(dispatch, deviceId);
  const stages: Stage[] = [];
  const deadline = Date.now() + options.timeoutMs;
  let raisedAt = 0;
  const reach = (stage: string): void => {
    const entry = { stage, afterMs: Date.now() - raisedAt };
    stages.push(entry);
    options.onStage?.(entry);
  };
  const missing = (stage: string): CliError =>
    new CliError(
      ExitCode.NotAcknowledged,
      `test alarm of ${deviceId}: no "${stage}" within ${options.timeoutMs / 1000} s ` +
        `(reached: ${stages.map((s) => s.stage).join(' → ') || 'nothing'})`,
      hints[stage],
      { device: deviceId, stages },
    );

  try {
    incidents.startAfterRetained();
    await device.evaluate('urgence.testAlarm()');
    raisedAt = Date.now();
    reach('raised on device');

    const incident = await incidents.next(deadline).catch(() => {
      throw missing('incident in feed');
    });
    reach('incident in feed');
    const capStatus = await dispatch
      .capStatus(incident.id, remaining(deadline))
      .catch(() => {
        throw missing('CAP status Test');
      });
    if (capStatus !== 'Test') {
      await dispatch.command('close', incident.id, remaining(deadline)).catch(() => {});
      throw new CliError(
        ExitCode.VerifyFailed,
        `the CAP alert of test incident ${incident.id} has status ${capStatus}, not Test: ` +
          'dispatch systems reading CAP would take it for a real alarm (it was closed)',
        'report this to the broker operator before raising another test alarm',
        { device: deviceId, incident: incident.id, capStatus, stages },
      );
    }
    reach('CAP status Test');
    await waitForDeviceStage(device, ['received', 'helpComing'], deadline, options);
    reach('device shows received');

    const reply = await dispatch.command('acknowledge', incident.id, remaining(deadline));
    if (reply['ok'] !== true) throw missing('acknowledged by dispatch');
    reach('acknowledged by dispatch');
    await waitForDeviceStage(device, ['helpComing'], deadline, options).catch(() => {
      throw missing('device shows help coming');
    });
    reach('device shows help coming');

    // A test incident must not stay open on dispatch screens.
    const closed = await dispatch.command('close', incident.id, remaining(deadline));
    if (closed['ok'] === true) reach('closed');
    return { device: deviceId, incident: incident.id, capStatus, stages };
  } catch (error) {
    if (error instanceof CliError && error.exitCode === ExitCode.DeviceSilent) {
      throw missing('device shows received');
    }
    throw error;
  } finally {
    incidents.stop();
  }
}

function requireId(info: DeviceInfo): string {
  if (typeof info.id === 'string') return info.id;
  throw new CliError(
    ExitCode.VerifyFailed,
    'the device is not provisioned, so its alarm cannot be verified',
    'run `urgence provision` first',
  );
}

function remaining(deadline: number): number {
  return Math.max(1, deadline - Date.now());
}

async function waitForDeviceStage(
  device: EspruinoConsole,
  stages: string[],
  deadline: number,
  options: TestAlarmOptions,
): Promise<void> {
  for (;;) {
    const info = await readInfo(device);
    if (stages.includes(String(info['stage']))) return;
    if (Date.now() >= deadline) throw new Error('deadline');
    // The console has no push: read the stage again shortly (a few lines per second).
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
  }
}

/**
 * Test incidents of one device as the feed announces them. Incidents already retained
 * when we subscribed (earlier tests) are remembered and ignored: only one that appears
 * after the raise counts.
 */
class IncidentWatch {
  private readonly known = new Set<string>();
  private readonly fresh: FeedIncident[] = [];
  private waiter: (() => void) | undefined;
  private counting = false;
  private readonly stopListening: () => void;

  constructor(
    dispatch: DispatchClient,
    private readonly deviceId: string,
  ) {
    this.stopListening = dispatch.onIncident((incident) => this.receive(incident));
  }

  startAfterRetained(): void {
    this.counting = true;
  }

  next(deadline: number): Promise<FeedIncident> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('deadline')), remaining(deadline));
      const check = (): void => {
        const incident = this.fresh.shift();
        if (incident === undefined) return;
        clearTimeout(timer);
        this.waiter = undefined;
        resolve(incident);
      };
      this.waiter = check;
      check();
    });
  }

  stop(): void {
    this.stopListening();
  }

  private receive(incident: FeedIncident): void {
    if (incident.device !== this.deviceId || incident.kind !== 'test') return;
    if (!this.counting) {
      this.known.add(incident.id);
      return;
    }
    if (this.known.has(incident.id)) return;
    this.known.add(incident.id);
    this.fresh.push(incident);
    this.waiter?.();
  }
}
