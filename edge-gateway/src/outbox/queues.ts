// Pending outbox entries, one FIFO per device. Order matters per device only (a post's
// alarm then its cancel); different devices may be published side by side, so at most one
// entry per device is in flight and the broker can never see a device's records reordered.
import type { OutboxEntry } from './record';

export class DeviceQueues {
  private readonly byDevice = new Map<string, OutboxEntry[]>();
  private readonly inFlight = new Map<string, number>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(entry: OutboxEntry): void {
    const queue = this.byDevice.get(entry.device);
    if (queue === undefined) this.byDevice.set(entry.device, [entry]);
    else queue.push(entry);
    this.count++;
  }

  /** Oldest head among devices with nothing in flight (oldest first keeps latency fair). */
  take(): OutboxEntry | undefined {
    let oldest: OutboxEntry | undefined;
    for (const [device, queue] of this.byDevice) {
      if (this.inFlight.has(device)) continue;
      if (oldest === undefined || queue[0].seq < oldest.seq) oldest = queue[0];
    }
    if (oldest !== undefined) this.inFlight.set(oldest.device, oldest.seq);
    return oldest;
  }

  release(entry: OutboxEntry): void {
    if (this.inFlight.get(entry.device) === entry.seq) this.inFlight.delete(entry.device);
  }

  /** Removes a pending entry; false when it is no longer there (already removed). */
  remove(entry: OutboxEntry): boolean {
    const queue = this.byDevice.get(entry.device);
    const index = queue?.findIndex((e) => e.seq === entry.seq) ?? -1;
    if (queue === undefined || index < 0) return false;
    queue.splice(index, 1);
    if (queue.length === 0) this.byDevice.delete(entry.device);
    this.release(entry);
    this.count--;
    return true;
  }

  /** Heartbeats older than the same device's latest one, not in flight. */
  supersededHeartbeats(): OutboxEntry[] {
    const superseded: OutboxEntry[] = [];
    for (const queue of this.byDevice.values()) {
      const beats = queue.filter((e) => e.class === 'heartbeat' && !this.isInFlight(e));
      superseded.push(...beats.slice(0, -1));
    }
    return superseded;
  }

  /** Every heartbeat not in flight. */
  heartbeats(): OutboxEntry[] {
    return this.all().filter((e) => e.class === 'heartbeat' && !this.isInFlight(e));
  }

  /** The oldest pending entry (lowest seq): each device's head is its oldest. */
  oldest(): OutboxEntry | undefined {
    let oldest: OutboxEntry | undefined;
    for (const queue of this.byDevice.values()) {
      if (oldest === undefined || queue[0].seq < oldest.seq) oldest = queue[0];
    }
    return oldest;
  }

  /** All pending entries in sequence order. */
  all(): OutboxEntry[] {
    return [...this.byDevice.values()].flat().sort((a, b) => a.seq - b.seq);
  }

  private isInFlight(entry: OutboxEntry): boolean {
    return this.inFlight.get(entry.device) === entry.seq;
  }
}
