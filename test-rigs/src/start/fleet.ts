// The small virtual fleet `npm start` runs: three posts in Paris and three wearables, one
// per privacy policy, so the feed shows each kind of location an incident can carry.

import { parseRig } from '../rig/rigFile';

export const startFleet = parseRig(
  {
    name: 'npm-start',
    driver: 'virtual',
    places: {
      'post-1': {
        kind: 'post',
        location: { lat: 48.8584, lon: 2.2945, label: 'Quai Branly' },
      },
      'post-2': {
        kind: 'post',
        location: { lat: 48.8606, lon: 2.3376, label: 'Rue de Rivoli' },
      },
      'post-3': {
        kind: 'post',
        location: { lat: 48.853, lon: 2.3499, label: 'Parvis Notre-Dame' },
      },
      'wearable-1': { kind: 'wearable', policy: 'area' },
      'wearable-2': { kind: 'wearable', policy: 'precise' },
      'wearable-3': { kind: 'wearable', policy: 'none' },
    },
  },
  'npm start fleet',
);
