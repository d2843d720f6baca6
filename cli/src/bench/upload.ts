// Upload benchmark: the real post bundle uploaded into a simulated device over a real pty
// with the console protocol, at several chunk sizes, plus the bytes each encoding puts on
// the wire. Prints figures as ratios against the default (512-byte chunks, escaped
// strings); absolute times depend on the machine's load. Run: npx tsx cli/src/bench/upload.ts

import { bundleDevice, devices } from '@urgence/firmware/build';
import { EspruinoConsole } from '../console/espruino-console';
import { openSerialLink } from '../console/serial-link';
import {
  byteStringLiteral,
  uploadFile,
  verifyStoredFile,
} from '../console/storage-upload';
import { startVirtualDevice } from '../test-support/virtual-device';

const rounds = 3;

async function uploadMs(bundle: Uint8Array, chunkSize: number): Promise<number> {
  const virtual = await startVirtualDevice();
  const device = new EspruinoConsole(await openSerialLink(virtual.port));
  try {
    await device.wake();
    let best = Infinity;
    for (let round = 0; round < rounds; round++) {
      const started = performance.now();
      await uploadFile(device, `bench${round}`, bundle, { chunkSize });
      await verifyStoredFile(device, `bench${round}`, bundle);
      best = Math.min(best, performance.now() - started);
    }
    return best;
  } finally {
    await device.close();
    await virtual.close();
  }
}

async function main(): Promise<void> {
  const post = devices.find((device) => device.name === 'post');
  if (post === undefined) throw new Error('no post device in the firmware build');
  const bundle = Buffer.from((await bundleDevice(post)).code, 'utf8');

  const escaped = byteStringLiteral(bundle).length;
  const base64 = bundle.toString('base64').length + 'atob("")'.length;
  console.log(`post bundle ${bundle.length} bytes`);
  console.log(
    `wire bytes per bundle byte: escaped ${(escaped / bundle.length).toFixed(3)}, ` +
      `base64 ${(base64 / bundle.length).toFixed(3)} (${(base64 / escaped).toFixed(2)}x escaped)`,
  );

  // 10 bits per byte (8N1): what the real 115200-baud line costs, which a pty does not model.
  const lineSeconds = (bytes: number): string => ((bytes * 10) / 115_200).toFixed(2);
  console.log(
    `at 115200 baud the line alone takes ${lineSeconds(escaped)} s escaped, ` +
      `${lineSeconds(base64)} s base64 (computed, not measured)`,
  );

  // On a pty baud is not enforced: these times are per-chunk round trips and device work.
  const baseline = await uploadMs(bundle, 512);
  console.log(
    `upload+verify, best of ${rounds}: 512-byte chunks ${baseline.toFixed(0)} ms ` +
      `(${(((bundle.length / baseline) * 1000) / 1024).toFixed(1)} KiB/s) = 1.00`,
  );
  for (const chunkSize of [128, 256, 1024, 2048]) {
    const ms = await uploadMs(bundle, chunkSize);
    console.log(
      `  ${String(chunkSize).padStart(4)}-byte chunks ${ms.toFixed(0)} ms = ` +
        `${(ms / baseline).toFixed(2)}x`,
    );
  }
}

await main();
