// Republishes an open incident when its five-minute clock turns "at risk", so dispatch
// sees the threat when it arises rather than at the next command. The feed's retained
// JSON otherwise only changes when the incident does.
import type { IncidentStore } from '../incidents/store';
import type { Incident } from '../incidents/types';
import { fiveMinuteClock } from './five-minute-clock';
import type { Clock, DispatchFeed } from './publisher';

export class ClockWatch {
  private readonly incidents: IncidentStore;
  private readonly feed: DispatchFeed;
  private readonly clock: Clock;
  /** atRisk as last published, by incident id (absent: as of its last update). */
  private readonly published = new Map<string, boolean>();

  constructor(incidents: IncidentStore, feed: DispatchFeed, clock: Clock) {
    this.incidents = incidents;
    this.feed = feed;
    this.clock = clock;
  }

  async check(): Promise<void> {
    const now = this.clock.now();
    const open = this.incidents.listOpen();
    for (const incident of open) {
      const atRisk = fiveMinuteClock(incident, now).atRisk;
      if (atRisk === this.lastPublished(incident)) continue;
      this.published.set(incident.id, atRisk);
      await this.feed.incidentChanged(incident, 'at-risk');
    }
    const stillOpen = new Set(open.map((incident) => incident.id));
    for (const id of this.published.keys()) {
      if (!stillOpen.has(id)) this.published.delete(id);
    }
  }

  private lastPublished(incident: Incident): boolean {
    const known = this.published.get(incident.id);
    if (known !== undefined) return known;
    return fiveMinuteClock(incident, incident.updatedAt).atRisk;
  }
}
