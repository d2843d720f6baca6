// Reconnect delays: exponential with full ±50% jitter, so 500 gateways cut off by the same
// broker restart do not all knock again in the same second.
export function reconnectDelay(
  attempt: number,
  minMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  return Math.round(backoffBase(attempt, minMs, maxMs) * (0.5 + random()));
}

/** The delay before jitter: minMs doubled per failed attempt, never past maxMs. */
export function backoffBase(attempt: number, minMs: number, maxMs: number): number {
  return Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30));
}
