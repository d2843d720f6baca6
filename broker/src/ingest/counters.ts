// Counts of what the ingest did with each uplink message: accepted, joined as a
// duplicate, or rejected by reason. Operators read them (telemetry, logs, tests).

export const rejectionReasons = [
  'unknown-device',
  'bad-tag',
  'replay',
  'malformed',
  'not-allowed',
] as const;
export type RejectionReason = (typeof rejectionReasons)[number];
/**
 * The broker's own failures, never the gateway's: `internal-error`, an uplink whose
 * processing threw (rolled back, not receipted, so the gateway keeps it and retries);
 * `feed-failed`, an uplink recorded and receipted whose feed messages or ack could not
 * be built or sent (it is republished at the next start).
 */
export const brokerFailures = ['internal-error', 'feed-failed'] as const;
export type BrokerFailure = (typeof brokerFailures)[number];
/** `gateway-report`: a gateway's own supervision record accepted (post silent/back). */
export type Outcome =
  'accepted' | 'duplicate' | 'gateway-report' | RejectionReason | BrokerFailure;

export class IngestCounters {
  private readonly counts = new Map<Outcome, number>();

  add(outcome: Outcome): void {
    this.counts.set(outcome, (this.counts.get(outcome) ?? 0) + 1);
  }

  get(outcome: Outcome): number {
    return this.counts.get(outcome) ?? 0;
  }

  snapshot(): Record<Outcome, number> {
    const all: Outcome[] = [
      'accepted',
      'duplicate',
      'gateway-report',
      ...rejectionReasons,
      ...brokerFailures,
    ];
    return Object.fromEntries(
      all.map((outcome) => [outcome, this.get(outcome)]),
    ) as Record<Outcome, number>;
  }
}
