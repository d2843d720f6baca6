// MQTT topics of one gateway (CONTRACTS.md, "MQTT topics (v1)"). The version sits in the
// path so a v2 gateway can share a broker with v1 ones during a roll-out.
export const TOPIC_ROOT = 'urgence/v1';

export function gatewayTopics(gatewayId: string) {
  const base = `${TOPIC_ROOT}/gw/${gatewayId}`;
  return {
    up: `${base}/up`,
    down: `${base}/down`,
    state: `${base}/state`,
    telemetry: `${base}/telemetry`,
  };
}

export type GatewayTopics = ReturnType<typeof gatewayTopics>;
