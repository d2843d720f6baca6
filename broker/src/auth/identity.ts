// Who an authenticated MQTT client is. Set once at login, read by the ACL and the hooks.
import type { Client } from 'aedes';

export type Identity =
  { role: 'gateway'; gatewayId: string } | { role: 'dispatch'; name: string };

/** The MQTT username prefix that marks a dispatch account (CONTRACTS.md, "Identities"). */
export const DISPATCH_PREFIX = 'dispatch:';

/** A gateway's client id is fixed, so that it can hold only one session at a time. */
export function gatewayClientId(gatewayId: string): string {
  return `gw:${gatewayId}`;
}

const identities = new WeakMap<Client, Identity>();

export function identityOf(client: Client | null | undefined): Identity | undefined {
  return client === null || client === undefined ? undefined : identities.get(client);
}

export function setIdentity(client: Client, identity: Identity): void {
  identities.set(client, identity);
}
