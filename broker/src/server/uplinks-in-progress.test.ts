import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Client } from 'aedes';
import { UplinksInProgress } from './uplinks-in-progress';

function fakeStore() {
  const stored = new Set<string>();
  const key = (client: Client, packet: { messageId?: number }) =>
    `${client.id}/${packet.messageId}`;
  return {
    async incomingStorePacket(client: Client, packet: { messageId?: number }) {
      stored.add(key(client, packet));
    },
    async incomingGetPacket(client: Client, packet: { messageId?: number }) {
      if (!stored.has(key(client, packet))) throw new Error('not stored');
      return packet;
    },
  };
}

const gateway = { id: 'gw:gw-a' } as Client;
const uplink = { topic: 'urgence/v1/gw/gw-a/up', messageId: 7 };
const isUplink = (topic: string) => topic.endsWith('/up');

test('a stored uplink is hidden until its recording ends', async () => {
  const store = fakeStore();
  const inProgress = new UplinksInProgress();
  inProgress.guard(store, isUplink);
  await store.incomingStorePacket(gateway, uplink);
  assert.not.ok(await store.incomingGetPacket(gateway, uplink).catch(() => undefined));
  inProgress.end(gateway.id, uplink.messageId);
  assert.equal(await store.incomingGetPacket(gateway, uplink), uplink);
});

test('overlapping copies keep it hidden until both have ended', async () => {
  const store = fakeStore();
  const inProgress = new UplinksInProgress();
  inProgress.guard(store, isUplink);
  await store.incomingStorePacket(gateway, uplink);
  await store.incomingStorePacket(gateway, uplink);
  inProgress.end(gateway.id, uplink.messageId);
  assert.is(
    await store.incomingGetPacket(gateway, uplink).catch(() => 'hidden'),
    'hidden',
  );
  inProgress.end(gateway.id, uplink.messageId);
  assert.equal(await store.incomingGetPacket(gateway, uplink), uplink);
});

test('other topics are never hidden', async () => {
  const store = fakeStore();
  new UplinksInProgress().guard(store, isUplink);
  const state = { topic: 'urgence/v1/gw/gw-a/state', messageId: 8 };
  await store.incomingStorePacket(gateway, state);
  assert.equal(await store.incomingGetPacket(gateway, state), state);
});

test.run();
