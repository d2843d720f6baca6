// Reconnect delays: exponential with full ±50% jitter, so 500 gateways cut off by the same
// broker restart do not all knock again in the same second.
export function reconnectDelay(
  attempt: number,
  minMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30));
  return Math.round(base * (0.5 + random()));
}
