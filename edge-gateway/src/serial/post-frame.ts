// What the gateway may read of a post's sealed message without its key: the kid (the
// device id, RFC 9052 unprotected header) and the message type, to order the outbox per
// device and to know a heartbeat (coalescable) from an alarm (never dropped). The tag is
// the ingest's business: the gateway holds no keys (DESIGN.md).
import {
  MessageType,
  decodeMessage,
  deviceIdFromKid,
  mac0Decode,
} from '@urgence/protocol';
import type { EntryClass } from '../outbox/outbox';

export type PostFrame = {
  device: string;
  counter: number;
  type: number;
  entryClass: EntryClass;
};

export type PostFrameOutcome =
  { ok: true; value: PostFrame } | { ok: false; code: string };

export function readPostFrame(frame: Uint8Array): PostFrameOutcome {
  const mac0 = mac0Decode(frame);
  if (!mac0.ok) return { ok: false, code: mac0.error.code };
  const device = deviceIdFromKid(mac0.value.kid);
  if (!device.ok) return { ok: false, code: device.error.code };
  const message = decodeMessage(mac0.value.payload);
  if (!message.ok) return { ok: false, code: message.error.code };
  const m = message.value;
  if (m.type === MessageType.Ack) return { ok: false, code: 'ack-from-device' };
  return {
    ok: true,
    value: {
      device: device.value,
      counter: m.counter,
      type: m.type,
      entryClass: m.type === MessageType.Heartbeat ? 'heartbeat' : 'alarm',
    },
  };
}
