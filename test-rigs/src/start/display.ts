// The terminal of `npm start`: a scrolling log of events (incidents, state changes, acks
// going down, LED changes) and, on a terminal, a status block kept at the bottom with each
// device's lamps and each open incident's five-minute clock, redrawn twice a second.

import type { FeedIncident } from '../system/dispatchConsole';
import type { VirtualDevice } from '../virtual/virtualDevice';
import { describeLooks, meaningOf, type OutputsWatch } from './outputsWatch';

const redrawMs = 500;
const fiveMinutes = 300;

export class Display {
  private pending: string[] = [];
  private statusHeight = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly lastLooks = new Map<VirtualDevice, string>();

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly devices: VirtualDevice[],
    private readonly watch: OutputsWatch,
    private readonly openIncidents: () => FeedIncident[],
  ) {}

  get live(): boolean {
    return this.out.isTTY === true;
  }

  start(): void {
    this.timer ??= setInterval(() => this.redraw(), redrawMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.redraw();
  }

  /** One event line, stamped with the wall-clock time. */
  event(line: string): void {
    const time = new Date().toTimeString().slice(0, 8);
    this.pending.push(`${time}  ${line}`);
    if (!this.live) this.flush();
  }

  /** Plain text (the banner, help), printed as is. */
  print(text: string): void {
    this.pending.push(text);
    if (!this.live) this.flush();
  }

  private flush(): void {
    if (this.pending.length > 0) this.out.write(this.pending.join('\n') + '\n');
    this.pending = [];
  }

  private redraw(): void {
    this.noteLedChanges();
    if (!this.live) {
      this.flush();
      return;
    }
    // Erase the old status block, print new events where it was, then the block again.
    if (this.statusHeight > 0) this.out.write(`\x1b[${this.statusHeight}A\x1b[0J`);
    this.flush();
    const status = this.statusLines();
    this.out.write(status.join('\n') + '\n');
    this.statusHeight = status.length;
  }

  /** LED changes become events too, so a log (or a test reading stdout) sees them. */
  private noteLedChanges(): void {
    for (const device of this.devices) {
      const looks = this.describe(device);
      if (looks === '' || looks === this.lastLooks.get(device)) continue;
      const first = !this.lastLooks.has(device);
      this.lastLooks.set(device, looks);
      if (!first) this.event(`LEDs      ${device.place.name.padEnd(10)} ${looks}`);
    }
  }

  /** "calling ○  received ◐  strobe ◐  → help coming" */
  private describe(device: VirtualDevice): string {
    const looks = this.watch.looks(device);
    const meaning = meaningOf(device.place.kind, looks);
    return describeLooks(looks) + (meaning === '' ? '' : `  → ${meaning}`);
  }

  private statusLines(): string[] {
    const lines = ['─'.repeat(78)];
    for (const device of this.devices) {
      const name = `${device.place.name} ${device.deviceId}`.padEnd(20);
      const power = device.powered ? '' : '  (power off)';
      lines.push(`  ${name} ${this.describe(device)}${power}`);
    }
    const open = this.openIncidents();
    if (open.length === 0) lines.push('  no open incident');
    for (const incident of open) lines.push(`  ${clockLine(incident)}`);
    lines.push('  keys: 1-3 press post · 4-6 hold wearable · a d o c dispatch · q quit');
    return lines;
  }
}

/** "inc-000001 new  post 0000a001 Quai Branly  1:12 of 5:00" */
export function clockLine(incident: FeedIncident): string {
  const pressed = Date.parse(incident.times.pressed ?? '') || Date.now();
  const stopped =
    incident.clock.stoppedAt === null ? Date.now() : Date.parse(incident.clock.stoppedAt);
  const seconds = Math.max(0, Math.round((stopped - pressed) / 1000));
  const clock = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  const risk = seconds > fiveMinutes || incident.clock.atRisk ? '  AT RISK' : '';
  const where = incident.location?.label ?? describeArea(incident);
  return (
    `${incident.id} ${incident.state.padEnd(12)} ${incident.deviceKind} ${incident.device} ` +
    `${where}  ${clock} of 5:00${risk}`
  );
}

function describeArea(incident: FeedIncident): string {
  const location = incident.location;
  if (location === null) return '(no location: owner policy)';
  return `within ${Math.round(location.radiusM)} m of ${location.lat.toFixed(4)},${location.lon.toFixed(4)}`;
}
