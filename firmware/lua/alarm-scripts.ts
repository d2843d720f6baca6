// What the Lua build is held to for the alarm machines: scripts for the post (press, link
// acks, dispatch acks) and the wearable (hold, triple press, cancel, acks over the air),
// each with the checks that its Node run means what the script says.
import * as assert from 'uvu/assert';
import {
  AckStage,
  LinkKind,
  MessageType,
  createFrameDecoder,
  decodeWearableFrame,
  encodeLinkFrame,
  encodeWearableAck,
  openMessage,
  sealMessage,
  windowOf,
} from '@urgence/protocol';
import type { DeviceMessage } from '@urgence/protocol';
import { POST_ID, POST_KEY, UNIX_START, WEARABLE_KEY, nodeSha256 } from './logic-scripts';
import type { Machine, Step } from './logic-scripts';

// The alarm machines. Counters are predictable on a fresh Storage: the post's boot
// heartbeat takes 0 and its first alarm 1; the wearable's boot supervision takes 0 and its
// first alarm 1. The Node run is checked to mean what the script says before Lua is held
// to it.

/** A script's name, its steps, and the check that its Node run means what it says. */
type Script = [name: string, steps: Step[], check: (lines: string[]) => void];

const hold = (ms: number): Step[] => [{ press: true }, { advance: ms }, { press: false }];
const triplePress: Step[] = [1, 2, 3].flatMap(() => [...hold(100), { advance: 200 }]);

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const linkAck = (seq: number): Step => ({
  feed: hex(encodeLinkFrame(LinkKind.Ack, seq, new Uint8Array(0))),
});
const dispatchAck = (seq: number, stage: 1 | 2 | 3, key = POST_KEY): Step => {
  const ack = { type: MessageType.Ack, ref: 1, stage } as const;
  const sealed = sealMessage(nodeSha256, POST_ID, key, ack);
  return { feed: hex(encodeLinkFrame(LinkKind.Data, seq, sealed)) };
};

/** Every message the post wrote on the link (data frames), opened with its key. */
function postMessages(lines: string[]): DeviceMessage[] {
  const decode = createFrameDecoder(256);
  const messages: DeviceMessage[] = [];
  for (const line of lines) {
    const [, what, bytes] = line.split(' ');
    if (what !== 'link') continue;
    for (const frame of decode(new Uint8Array(Buffer.from(bytes!, 'hex')))) {
      if (!frame.ok || frame.value.kind !== LinkKind.Data) continue;
      const opened = openMessage(nodeSha256, frame.value.payload, () => POST_KEY);
      if (opened.ok) messages.push(opened.value.message);
    }
  }
  return messages;
}

const postScripts: Script[] = [
  [
    'press → alarm frame, link ack, dispatch acks (a forged one refused), closed, new alarm',
    [
      { advance: 20 },
      linkAck(0),
      { advance: 1000 },
      ...hold(200),
      { advance: 20 },
      linkAck(1),
      { advance: 500 },
      dispatchAck(0, AckStage.Received),
      { advance: 2000 },
      dispatchAck(1, AckStage.HelpComing),
      { advance: 2000 },
      dispatchAck(2, AckStage.Closed, new Uint8Array(32).fill(1)),
      { advance: 500 },
      dispatchAck(3, AckStage.Closed),
      { advance: 8000 },
      ...hold(200),
      { advance: 20000 },
    ],
    (lines) => {
      const counters = postMessages(lines)
        .filter((m) => m.type === MessageType.Alarm)
        .map((m) => (m as { counter: number }).counter);
      assert.is(counters[0], 1, 'the first alarm, link-acked at once');
      assert.ok(counters.length > 2, 'the second alarm is retransmitted unanswered');
      assert.equal([...new Set(counters.slice(1))], [2], 'under one new counter');
      assert.ok(
        lines.some((l) => l.endsWith('note ack refused: not signed with this post key')),
      );
      assert.ok(
        lines.some((l) => l.endsWith('erase urgence.alm')),
        'closed rests the post',
      );
      assert.ok(
        lines.some((l) => l.endsWith('dial 500')),
        'the intercom is dialled',
      );
    },
  ],
  [
    'a repeat press within 10 s is ignored and a stuck button is one fault',
    [{ advance: 20 }, linkAck(0), ...hold(200), { advance: 3000 }, ...hold(31000)],
    (lines) => {
      const alarms = postMessages(lines).filter((m) => m.type === MessageType.Alarm);
      const counters = alarms.map((m) => (m as { counter: number }).counter);
      assert.equal([...new Set(counters)], [1], 'one alarm (resent while unacked)');
      assert.ok(
        lines.some((l) => l.includes('note press ignored: repeat within 10000 ms')),
      );
      assert.ok(lines.some((l) => l.includes('note fault stuckButton')));
    },
  ],
];

/** The wearable's frames on air, unmasked under the window of the time they went out. */
function wearableMessages(lines: string[]): DeviceMessage[] {
  const messages: DeviceMessage[] = [];
  for (const line of lines) {
    const [at, what, data] = line.split(' ');
    if (what !== 'advertise') continue;
    const window = windowOf(UNIX_START + Math.floor(Number(at) / 1000));
    const bytes = new Uint8Array(Buffer.from(data!, 'hex'));
    const frame = decodeWearableFrame(nodeSha256, WEARABLE_KEY, window, bytes);
    assert.ok(frame.ok, `advert at ${at} ms decodes`);
    messages.push(frame.value.message);
  }
  return messages;
}

/** The ack the gateway advertises for alarm counter 1, under the window at `atMs`. */
const wearableAck = (atMs: number, key = WEARABLE_KEY): Step => {
  const window = windowOf(UNIX_START + Math.floor(atMs / 1000));
  const ack = { type: MessageType.Ack, ref: 1, stage: AckStage.Received } as const;
  return { hear: hex(encodeWearableAck(nodeSha256, key, window, ack)) };
};

const typesOf = (lines: string[]): number[] => wearableMessages(lines).map((m) => m.type);

const wearableScripts: Script[] = [
  [
    'hold → pre-alarm → alarm frames; a forged ack is ignored, a valid one stops it',
    // Clock: 5 s, hold to 7.1 s, pre-alarm to 12.1 s, acks at 14.1 s and 15.1 s.
    [
      { advance: 5000 },
      ...hold(2100),
      { advance: 7000 },
      wearableAck(14100, new Uint8Array(32).fill(0x22)),
      { advance: 1000 },
      wearableAck(15100),
      { advance: 5000 },
    ],
    (lines) => {
      assert.ok(typesOf(lines).includes(MessageType.Alarm));
      const stopped = lines.findIndex((l) => l.endsWith('vibrate 500'));
      assert.ok(stopped > 0, 'the valid ack gives feedback');
      assert.ok(
        lines[stopped - 1]!.startsWith('15100'),
        'at the valid ack, not the forged',
      );
    },
  ],
  [
    'triple press → alarm fast then slow across a window turn, until the time-out',
    // The window turns at 800 s; the alarm runs from ~656 s to ~956 s.
    [{ advance: 650000 }, ...triplePress, { advance: 6000 }, { advance: 310000 }],
    (lines) => {
      const addresses = lines.filter((l) => l.split(' ')[1] === 'address');
      // goOnAir counts whole seconds (unixSeconds), so the turn lands within 1 s after.
      const turnedAt = addresses.map((l) => Number(l.split(' ')[0]));
      assert.ok(
        turnedAt.some((ms) => ms >= 800000 && ms < 801000),
        'new address at 800 s',
      );
      assert.is(new Set(addresses.map((l) => l.split(' ')[2])).size, 2);
      assert.ok(
        lines.some((l) => l.endsWith(' 100')),
        'fast phase',
      );
      assert.ok(
        lines.some((l) => l.endsWith(' 1000')),
        'slow phase',
      );
    },
  ],
  [
    'a press in the pre-alarm cancels: no alarm frame',
    [
      { advance: 5000 },
      ...hold(2100),
      { advance: 1000 },
      ...hold(100),
      { advance: 60000 },
    ],
    (lines) => {
      assert.not.ok(typesOf(lines).includes(MessageType.Alarm));
      assert.ok(
        typesOf(lines).includes(MessageType.Heartbeat),
        'the boot burst went out',
      );
    },
  ],
];

export const machineScripts: [Machine, ...Script][] = [
  ...postScripts.map((script): [Machine, ...Script] => ['post', ...script]),
  ...wearableScripts.map((script): [Machine, ...Script] => ['wearable', ...script]),
];
