// One gateway as the in-process tests run it: a real Aedes harness, a socat pty pair with
// a simulated post on its far end, a fake BLE radio and a recording ack advertiser, and
// an outbox in a temporary folder. Start one per test and stop it after.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { parseConfig } from '../config';
import { startGateway } from '../gateway';
import type { RunningGateway } from '../gateway';
import { AedesHarness } from './aedes-harness';
import { FakeNobleBindings, RecordingAckAdvertiser } from './fake-ble';
import { SimulatedPost } from './sim-post';
import { ptyPair } from './socat';
import type { PtyPair } from './socat';

export interface GatewayRig {
  harness: AedesHarness;
  pty: PtyPair;
  dir: string;
  radio: FakeNobleBindings;
  advertiser: RecordingAckAdvertiser;
  gateway: RunningGateway;
  post: SimulatedPost;
}

export interface GatewayRigOptions {
  gatewayId: string;
  post: { id: string; key: Uint8Array };
  /** Time the harness's broker takes to record an uplink (HarnessOptions). */
  ingestDelayMs?: number;
  /** The outbox budget; the gateway's default when not given. */
  outboxMaxBytes?: number;
}

export async function startGatewayRig(options: GatewayRigOptions): Promise<GatewayRig> {
  const { gatewayId } = options;
  const harness = new AedesHarness({
    gatewayId,
    secret: 's',
    ingestDelayMs: options.ingestDelayMs,
  });
  await harness.start();
  const pty = await ptyPair();
  const dir = mkdtempSync(join(tmpdir(), `urgence-${gatewayId}-`));
  const radio = new FakeNobleBindings();
  const advertiser = new RecordingAckAdvertiser();
  const outbox =
    options.outboxMaxBytes === undefined
      ? { dir }
      : { dir, maxBytes: options.outboxMaxBytes };
  const config = parseConfig({
    gatewayId,
    broker: { url: harness.url, secret: 's', reconnectMinMs: 50, reconnectMaxMs: 500 },
    serial: [{ path: pty.gatewayEnd, baudRate: 115200 }],
    outbox,
    // A post silent for 600 ms is reported: short enough to see within one test.
    heartbeat: { postIntervalMs: 200, missedBeforeFault: 3 },
  });
  const gateway = await startGateway(config, {
    bleBindings: radio,
    ackAdvertiser: advertiser,
    log: pino({ level: 'silent' }),
  });
  const post = await SimulatedPost.open(pty.postEnd, options.post.id, options.post.key);
  return { harness, pty, dir, radio, advertiser, gateway, post };
}

/** Stops what a test holds now: it may have closed its post and opened another. */
export async function stopGatewayRig(
  rig: Pick<GatewayRig, 'post' | 'gateway' | 'pty' | 'harness' | 'dir'>,
): Promise<void> {
  await rig.post.close();
  await rig.gateway.stop();
  await rig.pty.close();
  await rig.harness.stop();
  rmSync(rig.dir, { recursive: true, force: true });
}
