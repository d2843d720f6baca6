// The v1 topic tree (CONTRACTS.md, "MQTT topics"): builders for the broker and the
// ingest, and the one parser the ACL and the uplink hook share.

export const TOPIC_ROOT = 'urgence/v1/';
export const FEED_ROOT = `${TOPIC_ROOT}feed/`;
export const DISPATCH_COMMANDS = `${TOPIC_ROOT}dispatch/commands`;
const REPLIES_ROOT = `${TOPIC_ROOT}dispatch/replies/`;
const GATEWAY_ROOT = `${TOPIC_ROOT}gw/`;

export type GatewayLeaf = 'up' | 'down' | 'state' | 'telemetry';
const LEAVES: readonly string[] = ['up', 'down', 'state', 'telemetry'];

export function gatewayTopic(gatewayId: string, leaf: GatewayLeaf): string {
  return `${GATEWAY_ROOT}${gatewayId}/${leaf}`;
}

export function repliesTopic(dispatcherName: string): string {
  return `${REPLIES_ROOT}${dispatcherName}`;
}

/** `urgence/v1/gw/<id>/<leaf>` → its parts; anything else (wildcards too) → undefined. */
export function parseGatewayTopic(
  topic: string,
): { gatewayId: string; leaf: GatewayLeaf } | undefined {
  if (!topic.startsWith(GATEWAY_ROOT)) return undefined;
  const rest = topic.slice(GATEWAY_ROOT.length).split('/');
  if (rest.length !== 2 || !LEAVES.includes(rest[1])) return undefined;
  if (!/^[a-z0-9-]{1,32}$/.test(rest[0])) return undefined;
  return { gatewayId: rest[0], leaf: rest[1] as GatewayLeaf };
}

export function isRepliesTopic(topic: string): boolean {
  return topic.startsWith(REPLIES_ROOT);
}
