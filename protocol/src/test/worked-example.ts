// Generates the worked example of protocol/README.md from the real code, so the hex there
// is right by construction (readme.test.ts checks the README holds exactly this text).
// Print it: npx tsx protocol/src/test/worked-example.ts
import {
  encodeWearableFrame,
  manufacturerData,
  maskWearableFrame,
  rebuildMac0,
} from '../ble-frame';
import { macStructure, mac0Decode, PROTECTED_HMAC_256_64 } from '../cose';
import { cobsEncode } from '../cobs';
import { hmacSha256 } from '../hmac';
import { AckStage, MessageType, encodeMessage } from '../messages';
import { rotatingId, windowAad, windowMask, windowOf } from '../rotating-id';
import { sealMessage } from '../seal';
import { encodeLinkFrame, LinkKind } from '../serial-framing';
import { encodeWearableAck } from '../wearable-ack';
import { sha256, toHex } from './node-crypto';

function grouped(bytes: Uint8Array): string {
  const hex = toHex(bytes);
  const lines: string[] = [];
  for (let i = 0; i < hex.length; i += 64) lines.push('    ' + hex.slice(i, i + 64));
  return lines.join('\n');
}

export function workedExample(): string {
  const key = new Uint8Array(32).map((_, i) => i);
  const deviceId = '0000002a';
  const alarm = { type: MessageType.Alarm, counter: 42, battery: 87 } as const;
  const payload = encodeMessage(alarm);
  const structure = macStructure(PROTECTED_HMAC_256_64, payload, undefined);
  const fullMac = hmacSha256(sha256, key, structure);
  const sealed = sealMessage(sha256, deviceId, key, alarm);
  const rawLink = encodeLinkFrame(LinkKind.Data, 5, sealed);
  const unixSeconds = 1796300000;
  const window = windowOf(unixSeconds);
  const frame = encodeWearableFrame(sha256, key, { window, message: alarm });
  const mask = windowMask(sha256, key, window);
  const unmasked = frame.slice();
  maskWearableFrame(unmasked, mask);
  const advert = new Uint8Array([
    0x02,
    0x01,
    0x06,
    0x1b,
    0xff,
    ...manufacturerData(frame),
  ]);
  const decodedMac0 = mac0Decode(sealed);
  const helpComing = {
    type: MessageType.Ack,
    ref: 42,
    stage: AckStage.HelpComing,
    eta: 240,
  } as const;
  const lines = [
    `key (32 bytes)            ${toHex(key)}`,
    `device id / kid           ${deviceId}`,
    `alarm {counter 42, battery 87}`,
    `  payload (CBOR map)`,
    grouped(payload),
    `  MAC_structure ["MAC0", h'a10104', h'', payload]`,
    grouped(structure),
    `  HMAC-SHA256 over it (tag = first 8 bytes)`,
    grouped(fullMac),
    `  COSE_Mac0 (tag 17)`,
    grouped(sealed),
    `  tag                     ${decodedMac0.ok ? toHex(decodedMac0.value.tag) : '?'}`,
    `serial link data frame, seq 5, carrying that COSE_Mac0`,
    `  wire (0x00, COBS(header, seq, payload, CRC-16), 0x00)`,
    grouped(rawLink),
    `  link ack for seq 5`,
    grouped(encodeLinkFrame(LinkKind.Ack, 5, new Uint8Array(0))),
    `  COBS of 11 22 00 33     ${toHex(cobsEncode(new Uint8Array([0x11, 0x22, 0x00, 0x33])))}`,
    `wearable, same key, unix time ${unixSeconds} -> window ${window}`,
    `  rotating id             ${toHex(rotatingId(sha256, key, window))}`,
    `  external_aad (window)   ${toHex(windowAad(window))}`,
    `  mask = HMAC-SHA256(key, "urgence/mask/v1" || window)`,
    grouped(mask),
    `  frame before masking (counter 9..12, battery 14, detail 15 in clear)`,
    grouped(unmasked),
    `  frame on air (those bytes XOR mask[offset])`,
    grouped(frame),
    `  whole advert (31 bytes: flags AD, manufacturer AD with company id ffff)`,
    grouped(advert),
    `  COSE_Mac0 the ingest rebuilds (kid ${deviceId}), verified with that external_aad`,
    grouped(
      rebuildMac0(
        { rotatingId: frame.subarray(1, 9), message: alarm, tag: frame.subarray(16) },
        deviceId,
      ),
    ),
    `downlink ack {ref 42, stage help-coming, eta 240 s}`,
    `  to the post: COSE_Mac0`,
    grouped(sealMessage(sha256, deviceId, key, helpComing)),
    `  to the wearable: ack frame for window ${window} (9..15 XOR mask[16 + offset])`,
    grouped(encodeWearableAck(sha256, key, window, helpComing)),
  ];
  return lines.join('\n');
}

if (process.argv[1] !== undefined && process.argv[1].endsWith('worked-example.ts')) {
  console.log(workedExample());
}
