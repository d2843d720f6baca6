import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { DeviceRecord } from '../registry/index';
import type { HeardBy } from '../incidents/types';
import { applyPolicy, BLE_REACH_M, gatewayArea, incidentLocation } from './location';

const places: Record<string, { lat: number; lon: number }> = {
  'gw-a': { lat: 48.85, lon: 2.35 },
  'gw-b': { lat: 48.852, lon: 2.35 },
};

function heard(gatewayId: string, rssi: number | null): HeardBy {
  return { gatewayId, firstHeard: 0, lastHeard: 0, bestRssi: rssi, copies: 1 };
}

const wearable: DeviceRecord = {
  id: '000000aa',
  kind: 'wearable',
  key: new Uint8Array(32),
  retired: false,
  createdAt: 0,
  updatedAt: 0,
};

test('one gateway gives a circle of BLE reach around it', () => {
  const area = gatewayArea([heard('gw-a', -70)], (id) => places[id]);
  assert.equal(area, { lat: 48.85, lon: 2.35, radiusM: BLE_REACH_M });
});

test('the centre leans towards the gateway that heard the wearable loudest', () => {
  const area = gatewayArea([heard('gw-a', -50), heard('gw-b', -90)], (id) => places[id]);
  assert.ok(area !== undefined && area.lat < 48.8505, `lat ${area?.lat}`);
  assert.ok(area !== undefined && area.radiusM > 200, `radius ${area?.radiusM}`);
});

test('gateways without a known position are left out', () => {
  assert.is(
    gatewayArea([heard('gw-gone', -50)], (id) => places[id]),
    undefined,
  );
});

test('policy none publishes no location at all', () => {
  assert.is(applyPolicy({ lat: 48.85123, lon: 2.35123, radiusM: 120 }, 'none'), null);
});

test('policy area snaps the centre to the grid and never goes under 500 m', () => {
  const blurred = applyPolicy({ lat: 48.85123, lon: 2.35377, radiusM: 120 }, 'area');
  assert.equal(blurred, { lat: 48.85, lon: 2.355, radiusM: 500, source: 'gateways' });
});

test('policy precise keeps metre precision and rounds the radius up to 10 m', () => {
  const sharp = applyPolicy({ lat: 48.851234, lon: 2.353779, radiusM: 101 }, 'precise');
  assert.equal(sharp, { lat: 48.85123, lon: 2.35378, radiusM: 110, source: 'gateways' });
});

test('a wearable without a policy is blurred as area', () => {
  const where = incidentLocation(wearable, [heard('gw-a', -60)], (id) => places[id]);
  assert.is(where?.radiusM, 500);
});

test('a post carries its installed point whatever heard it', () => {
  const post: DeviceRecord = {
    ...wearable,
    kind: 'post',
    location: { lat: 48.8, lon: 2.3, label: 'Place X' },
  };
  assert.equal(
    incidentLocation(post, [], () => undefined),
    {
      lat: 48.8,
      lon: 2.3,
      radiusM: 0,
      source: 'installed',
      label: 'Place X',
    },
  );
});

test.run();
