// Names and keys the benchmark's broker process and its load process both derive, so
// nothing secret has to travel between them.
import { createHash } from 'node:crypto';
import { FEED_ROOT, gatewayTopic } from '@urgence/broker';

export const GATEWAY = { id: 'gw-bench', secret: 'secret-of-the-bench-gateway' };
export const DISPATCHER = { name: 'bench', secret: 'secret-of-the-bench-dispatcher' };
export const UPLINK = gatewayTopic(GATEWAY.id, 'up');
export const RELAY_TOPIC = `${FEED_ROOT}changes`;

export type SetupName = 'bare' | 'secured' | 'ingest';

export const sha256 = (message: Uint8Array) =>
  new Uint8Array(createHash('sha256').update(message).digest());

/** The i-th benchmark post: id and key derived from the index alone. */
export function benchPost(index: number) {
  return {
    id: (0x10000000 + index).toString(16),
    key: sha256(Buffer.from(`bench post key ${index}`)),
  };
}

export function benchPostIndex(deviceId: string): number {
  return parseInt(deviceId, 16) - 0x10000000;
}
