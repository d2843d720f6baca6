// The firmware bundles exactly as `npm run build -w @urgence/firmware` emits them into
// firmware/dist, built here from the current sources so a stale dist/ cannot pass a test.

import { bundleDevice, devices } from '@urgence/firmware/build';

const built = new Map<string, Promise<string>>();

export function builtBundle(kind: 'post' | 'wearable'): Promise<string> {
  let bundle = built.get(kind);
  if (bundle === undefined) {
    const device = devices.find((candidate) => candidate.name === kind);
    if (device === undefined) throw new Error(`the firmware build lists no ${kind}`);
    bundle = bundleDevice(device).then((emitted) => emitted.code);
    built.set(kind, bundle);
  }
  return bundle;
}
