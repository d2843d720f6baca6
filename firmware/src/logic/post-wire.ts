// The post's messages as protocol/ seals them: COSE_Mac0 (kid = device id) around the
// catalogue message; downlink acks are opened with the same key and must name this post.
import {
  AckStage,
  FaultCode,
  MessageType,
  bytesFromHex,
  hexFromBytes,
  openPostAck,
  sealMessage,
} from '@urgence/protocol';
import type { Sha256 } from '@urgence/protocol';
import type { PostAck, PostStatus, PostWire } from './post-alarm';
import type { PostFault } from './post-sense';

/** Lead-acid state of charge from rest voltage, linear 11.0 V (0 %) to 13.0 V (100 %):
 * coarse, but enough for dispatch to see a dying backup. */
export function leadAcidPercent(volts: number): number {
  const percent = Math.round(((volts - 11) / 2) * 100);
  return percent < 0 ? 0 : percent > 100 ? 100 : percent;
}

function faultCode(fault: PostFault): number {
  if (fault === 'tamper') return FaultCode.Tamper;
  if (fault === 'onBattery') return FaultCode.OnBattery;
  if (fault === 'mainsLost') return FaultCode.MainsLost;
  if (fault === 'lowBattery') return FaultCode.LowBattery;
  if (fault === 'stuckButton') return FaultCode.StuckButton;
  return FaultCode.SelfTestFailed;
}

export function createPostWire(
  sha256: Sha256,
  deviceId: string,
  key: Uint8Array,
): PostWire {
  return {
    alarm: (counter, test) =>
      sealMessage(sha256, deviceId, key, {
        type: test ? MessageType.TestAlarm : MessageType.Alarm,
        counter: counter,
      }),
    heartbeat: (counter: number, status: PostStatus) =>
      sealMessage(sha256, deviceId, key, {
        type: MessageType.Heartbeat,
        counter: counter,
        battery: leadAcidPercent(status.batteryVolts),
        mains: status.mains,
        inCall: status.inCall,
      }),
    fault: (counter, fault, active) =>
      sealMessage(sha256, deviceId, key, {
        type: MessageType.Fault,
        counter: counter,
        fault: faultCode(fault) as FaultCode,
        active: active,
      }),
    openAck: (bytes): PostAck | undefined => {
      const kid = bytesFromHex(deviceId);
      const opened = kid.ok ? openPostAck(sha256, key, kid.value, bytes) : kid;
      if (opened.ok === false) return undefined;
      const message = opened.value;
      const stage =
        message.stage === AckStage.Closed
          ? 'closed'
          : message.stage === AckStage.HelpComing
            ? 'helpComing'
            : 'received';
      return { counter: message.ref, stage: stage };
    },
    hex: (bytes) => hexFromBytes(bytes),
    unhex: (text) => {
      const bytes = bytesFromHex(text);
      return bytes.ok === true ? bytes.value : undefined;
    },
  };
}
