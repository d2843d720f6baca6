// The virtual rig: every place of a rig file realised as a simulated device running the
// built bundle, provisioned through the CLI's code, wired to a real gateway (posts over
// socat ptys, wearables over the virtual radio) and a real broker.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Place, Rig } from '../rig/rigFile';
import { System } from '../system/system';
import { buildBundles, loadSimulator } from './firmware';
import { provisionVirtual } from './provision';
import { RadioBridge } from './radioBridge';
import { SerialBridge } from './serialBridge';
import { restoreStorage, saveStorage } from './storageFile';
import { VirtualDevice } from './virtualDevice';

export interface VirtualRigOptions {
  dataDir: string;
  mqttPort?: number;
  /** Scaled-down heartbeat so "silent post" shows within seconds (default 60 s). */
  postHeartbeatMs?: number;
  /** Keep each device's flash in the data folder (npm start: the next start keeps it). */
  persistDevices?: boolean;
  logLevel?: string;
  /** Progress lines while the rig comes up. */
  say?: (line: string) => void;
  /**
   * Stops the start-up at its next step (npm start's Ctrl-C): what was started is closed
   * and the promise rejects with the signal's reason.
   */
  signal?: AbortSignal;
}

export interface VirtualRig {
  devices: VirtualDevice[];
  system: System;
  close(): Promise<void>;
}

/** Ids for places that name none: 0000a0NN for posts, 0000b0NN for wearables. */
export function deviceIdOf(place: Place, index: number): string {
  if (place.deviceId !== undefined) return place.deviceId;
  const prefix = place.kind === 'post' ? '0000a0' : '0000b0';
  return prefix + (index + 1).toString(16).padStart(2, '0');
}

export async function openVirtualRig(
  rig: Rig,
  options: VirtualRigOptions,
): Promise<VirtualRig> {
  const say = options.say ?? (() => undefined);
  const postHeartbeatMs = options.postHeartbeatMs ?? 60_000;
  const devicesDir = join(options.dataDir, 'devices');
  mkdirSync(devicesDir, { recursive: true });

  const nextStep = () => options.signal?.throwIfAborted();
  nextStep();
  say('building the firmware bundles');
  const [bundles, simulator] = await Promise.all([buildBundles(), loadSimulator()]);
  const devices = rig.places.map(
    (place, index) =>
      new VirtualDevice(
        place,
        deviceIdOf(place, index),
        bundles[place.kind],
        simulator.SimDevice,
      ),
  );
  const storagePath = (device: VirtualDevice) =>
    join(devicesDir, `${device.deviceId}.json`);

  // Only a device whose flash holds its provisioning is saved: a file for one stopped
  // before that would be restored on the next start as if it were provisioned.
  const provisioned = new Set<VirtualDevice>();
  const save = () => {
    for (const device of provisioned) saveStorage(device.sim, storagePath(device));
  };
  const bridges: SerialBridge[] = [];
  let radio: RadioBridge | undefined;
  let system: System | undefined;
  let saver: NodeJS.Timeout | undefined;
  const close = async () => {
    clearInterval(saver);
    radio?.stop();
    if (options.persistDevices === true) save();
    for (const device of devices) device.stop();
    await system?.stop();
    await Promise.all(bridges.map((bridge) => bridge.close()));
  };

  try {
    for (const device of devices.filter((d) => d.place.kind === 'post')) {
      nextStep();
      bridges.push(await SerialBridge.attach(device));
    }
    system = new System({
      dataDir: options.dataDir,
      mqttPort: options.mqttPort ?? 0,
      serialPorts: bridges.map((bridge) => bridge.gatewayEnd),
      postHeartbeatMs,
      logLevel: options.logLevel,
      onAck: (data, durationMs) => radio?.advertiseAck(data, durationMs),
    });
    system.prepareRegistry();

    for (const device of devices) {
      nextStep();
      const restored =
        options.persistDevices === true &&
        restoreStorage(device.sim, storagePath(device));
      device.start();
      if (restored) {
        provisioned.add(device);
        continue;
      }
      say(`provisioning ${device.place.kind} ${device.deviceId} (${device.place.name})`);
      const timings =
        device.place.kind === 'post' ? { heartbeatMs: postHeartbeatMs } : undefined;
      await provisionVirtual(device, simulator, {
        registryPath: system.registryPath,
        ...(timings === undefined ? {} : { timings }),
      });
      provisioned.add(device);
    }

    nextStep();
    say('starting the broker and the gateway');
    await system.start();
    // Posts were switched on before their gateway existed (provisioning needs them on and
    // the broker needs them registered first); a power cycle now lets each boot find its
    // link up instead of showing "gateway unreachable" until its first heartbeat.
    for (const post of devices.filter((d) => d.place.kind === 'post')) {
      await post.powerCut();
      await post.powerRestore();
    }
    nextStep();
    const live = system;
    radio = new RadioBridge(
      devices.filter((d) => d.place.kind === 'wearable'),
      (advert) => live.hear(advert.address, advert.manufacturerData, advert.rssi),
    );
    radio.start();
    if (options.persistDevices === true) {
      // Flash is saved every few seconds too, so a killed `npm start` loses little.
      saver = setInterval(save, 5000);
    }
    return { devices, system, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
