// A post's alarm as its gateway publishes it on `urgence/v1/gw/<id>/up`: sealed with the
// post's key and wrapped in a serial uplink envelope heard once, just now. For the tests
// and benches that drive a whole broker over MQTT rather than the ingest in process.
import { MessageType, sealMessage } from '@urgence/protocol';
import { sha256 } from '../ingest/crypto';
import { encodeUplink } from '../ingest/index';

/** `outboxSeq` is the gateway's own numbering: a bench sending many gives each its own. */
export function serialAlarmUplink(
  post: string,
  key: Uint8Array,
  counter: number,
  outboxSeq = 1,
): Buffer {
  const frame = sealMessage(sha256, post, key, { type: MessageType.Alarm, counter });
  const now = Date.now();
  return encodeUplink({
    v: 1,
    link: 'serial',
    frame,
    firstHeard: now,
    lastHeard: now,
    copies: 1,
    outboxSeq,
  });
}
