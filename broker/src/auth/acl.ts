// Topic permissions by role (issue 5, "Authorisation"): a gateway only on its own topics,
// dispatch only on the feed, its commands and its own replies, nobody on `#` or `+/...`.
import {
  DISPATCH_COMMANDS,
  FEED_ROOT,
  gatewayTopic,
  repliesTopic,
} from '../server/topics';
import type { Identity } from './identity';

export type PublishRefusal =
  | 'not-logged-in'
  | 'not-your-topic'
  | 'uplink-needs-qos-2'
  | 'uplink-not-retained'
  | 'command-not-retained';

/** Why `identity` may not publish this, or undefined when it may. */
export function publishRefusal(
  identity: Identity | undefined,
  topic: string,
  qos: number,
  retain: boolean,
): PublishRefusal | undefined {
  if (identity === undefined) return 'not-logged-in';
  if (identity.role === 'dispatch') {
    if (topic !== DISPATCH_COMMANDS) return 'not-your-topic';
    // A retained command would sit in the broker and replay to nobody: refuse it.
    return retain ? 'command-not-retained' : undefined;
  }
  const id = identity.gatewayId;
  if (topic === gatewayTopic(id, 'up')) {
    // Only a QoS 2 PUBREC waits for the ingest's durable write (CONTRACTS.md,
    // "Durability receipt"); a QoS 1 PUBACK would let the gateway forget too early.
    if (qos !== 2) return 'uplink-needs-qos-2';
    return retain ? 'uplink-not-retained' : undefined;
  }
  if (topic === gatewayTopic(id, 'state') || topic === gatewayTopic(id, 'telemetry')) {
    return undefined;
  }
  return 'not-your-topic';
}

/** Whether `identity` may subscribe to `filter` (wildcards only inside the feed). */
export function maySubscribe(identity: Identity | undefined, filter: string): boolean {
  if (identity === undefined) return false;
  if (identity.role === 'gateway')
    return filter === gatewayTopic(identity.gatewayId, 'down');
  if (filter === repliesTopic(identity.name)) return true;
  return filter.startsWith(FEED_ROOT) && filter.length > FEED_ROOT.length;
}
