// Opening and clearing faults with their feed messages in one place, so the ingest
// (device-reported faults) and the supervisor (silence, offline gateways) agree.
import type { Logger } from 'pino';
import type { FaultStore, FaultSubject } from '../incidents/faults';
import type { DispatchFeed } from '../feed/publisher';

export class FaultBook {
  private readonly store: FaultStore;
  private readonly feed: DispatchFeed;
  private readonly logger: Logger;

  constructor(store: FaultStore, feed: DispatchFeed, logger: Logger) {
    this.store = store;
    this.feed = feed;
    this.logger = logger;
  }

  /** Opens the fault (once) and publishes it when it is new. */
  async open(kind: string, subject: FaultSubject, at: number, detail: string | null) {
    const result = this.store.open(kind, subject, at, detail);
    if (!result.opened) return;
    this.logger.warn(
      {
        fault: result.fault.id,
        kind,
        device: subject.deviceId,
        gateway: subject.gatewayId,
      },
      'fault opened',
    );
    await this.feed.faultChanged(result.fault);
  }

  /** Clears the fault if it was open and publishes the clearing. */
  async clear(kind: string, subject: FaultSubject, at: number) {
    const fault = this.store.clear(kind, subject, at);
    if (fault === undefined) return;
    this.logger.info(
      { fault: fault.id, kind, device: subject.deviceId, gateway: subject.gatewayId },
      'fault cleared',
    );
    await this.feed.faultChanged(fault);
  }
}
