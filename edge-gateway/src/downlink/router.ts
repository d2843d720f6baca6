// Routes acknowledgements from the broker to devices: a post's COSE_Mac0 ack goes down the
// serial link of that post (through the PostMailbox, which holds it until the post can take
// it); a wearable's ack frame goes on air through the AckAdvertiser for a bounded time.
import { COMPANY_ID, WEARABLE_FRAME_BYTES } from '@urgence/protocol';
import type { Logger } from 'pino';
import type { AckAdvertiser } from '../ble/ack-advertiser';
import type { GatewayCounters } from '../telemetry';
import type { DownlinkEnvelope } from '../uplink/envelope';
import type { PostMailbox } from './post-mailbox';

export type DownlinkOptions = {
  posts: PostMailbox;
  ackAdvertiser?: AckAdvertiser;
  wearableAckMs: number;
  counters: GatewayCounters;
  log: Logger;
};

export class DownlinkRouter {
  constructor(private readonly options: DownlinkOptions) {}

  deliver(envelope: DownlinkEnvelope): void {
    if (envelope.link === 'serial')
      this.options.posts.offer(envelope.device ?? '', envelope.frame);
    else void this.toWearable(envelope);
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
