// Routes acknowledgements from the broker to devices: a post's COSE_Mac0 ack goes down the
// serial link that last heard that post; a wearable's ack frame goes on air through the
// AckAdvertiser for a bounded time. Anything unroutable is counted and dropped.
import { COMPANY_ID, WEARABLE_FRAME_BYTES } from '@urgence/protocol';
import type { Logger } from 'pino';
import type { AckAdvertiser } from './ble/ack-advertiser';
import type { GatewayCounters } from './telemetry';
import type { DownlinkEnvelope } from './uplink/envelope';

export type PostRoute = {
  /** The port that last heard the post, if any. */
  portOf(device: string): string | undefined;
  /** Queues the frame on that port's link (sent reliably by the link layer). */
  send(port: string, frame: Uint8Array): boolean;
};

export type DownlinkOptions = {
  posts: PostRoute;
  ackAdvertiser?: AckAdvertiser;
  wearableAckMs: number;
  counters: GatewayCounters;
  log: Logger;
};

export class DownlinkRouter {
  constructor(private readonly options: DownlinkOptions) {}

  deliver(envelope: DownlinkEnvelope): void {
    if (envelope.link === 'serial') this.toPost(envelope.device ?? '', envelope.frame);
    else void this.toWearable(envelope);
  }

  private toPost(device: string, frame: Uint8Array): void {
    const { posts, counters, log } = this.options;
    const port = posts.portOf(device);
    if (port === undefined || !posts.send(port, frame)) {
      counters.drop('no-route');
      log.warn({ device, port }, 'ack for a post no link has heard: dropped');
      return;
    }
    counters.downlink.delivered++;
    log.info({ device, port }, 'ack sent to post');
  }

  private async toWearable(envelope: DownlinkEnvelope): Promise<void> {
    const { ackAdvertiser, counters, log, wearableAckMs } = this.options;
    const rotatingId =
      envelope.rotatingId && Buffer.from(envelope.rotatingId).toString('hex');
    if (ackAdvertiser === undefined) {
      counters.drop('no-route');
      log.warn({ rotatingId }, 'wearable ack dropped: BLE is off on this gateway');
      return;
    }
    if (envelope.frame.length !== WEARABLE_FRAME_BYTES) {
      counters.drop('bad-downlink');
      log.warn(
        { rotatingId, bytes: envelope.frame.length },
        'wearable ack of wrong size',
      );
      return;
    }
    const manufacturerData = Buffer.alloc(2 + envelope.frame.length);
    manufacturerData.writeUInt16LE(COMPANY_ID, 0);
    manufacturerData.set(envelope.frame, 2);
    try {
      await ackAdvertiser.advertise(manufacturerData, wearableAckMs);
      counters.downlink.delivered++;
      log.info({ rotatingId, forMs: wearableAckMs }, 'ack advertised to wearable');
    } catch (error) {
      counters.drop('advert-failed');
      log.error(
        { rotatingId, err: (error as Error).message },
        'wearable ack advert failed',
      );
    }
  }
}
