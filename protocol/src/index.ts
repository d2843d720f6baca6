// @urgence/protocol: the wire format shared by posts, wearables, gateways and the broker.
// Written in the Espruino/Lua subset; platform services (SHA-256) are passed in.

export { ok, fail } from './result';
export { describeError } from './error-text';
export type { Result, ProtocolError } from './result';
export {
  asciiBytes,
  bytesEqual,
  bytesFromHex,
  concatBytes,
  constantTimeEqual,
  copyBytes,
  hexFromBytes,
  readUint16,
  readUint32,
  uint32Bytes,
  utf8Decode,
  utf8Encode,
  writeUint16,
  writeUint32,
} from './bytes';
export { CborMap, CborTag } from './cbor-types';
export type { CborKey, CborValue } from './cbor-types';
export { cborDecode, cborEncode, CBOR_MAX_DEPTH } from './cbor';
export { bytesOf, encodeSmallMap, pushBytes, pushHead, readSmallMap } from './cbor-write';
export { hmacSha256 } from './hmac';
export type { Sha256 } from './hmac';
export {
  ALG_HMAC_256_256,
  ALG_HMAC_256_64,
  COSE_HEADER_ALG,
  COSE_HEADER_KID,
  COSE_MAC0_TAG,
  PROTECTED_HMAC_256_64,
  mac0Assemble,
  mac0Create,
  mac0Decode,
  mac0Verify,
  macStructure,
} from './cose';
export type { Mac0 } from './cose';
export { mac0Tag } from './cose';
export {
  DEVICE_ID_BYTES,
  deviceIdFromKid,
  isDeviceId,
  kidFromDeviceId,
} from './device-id';
export {
  AckStage,
  FaultCode,
  MESSAGE_VERSION,
  MessageKey,
  MessageType,
  UINT32_MAX,
  decodeMessage,
  encodeMessage,
} from './messages';
export type {
  AckMessage,
  AlarmMessage,
  CancelMessage,
  DeviceMessage,
  FaultMessage,
  HeartbeatMessage,
  TestAlarmMessage,
  UplinkMessage,
} from './messages';
export { openMessage, sealMessage } from './seal';
export { openPostAck } from './post-ack';
export type { KeyLookup, OpenedMessage } from './seal';
export {
  RANDOM_ADDRESS_BYTES,
  ROTATING_ID_BYTES,
  ROTATION_SECONDS,
  rotatingAddress,
  rotatingId,
  rotatingIdWith,
  windowAad,
  windowMask,
  windowOf,
} from './rotating-id';
export {
  COMPANY_ID,
  FRAME_VERSION,
  FrameKind,
  NO_BATTERY,
  WEARABLE_FRAME_BYTES,
  decodeWearableFrame,
  encodeWearableFrame,
  sealWearableFrame,
  manufacturerData,
  maskWearableFrame,
  readWearableFrame,
  rebuildMac0,
  unmaskWearableFrame,
  verifyWearableFrame,
  wearableMessage,
} from './ble-frame';
export type { WearableFrame, WearableFrameFields, WearableFrameOnAir } from './ble-frame';
export {
  NO_ETA,
  decodeWearableAck,
  encodeWearableAck,
  maskWearableAck,
  readWearableAck,
  verifyWearableAck,
  wearableAckMessage,
  isWearableAckFor,
} from './wearable-ack';
export type { WearableAck } from './wearable-ack';
export { crc16 } from './crc16';
export { cobsDecode, cobsEncode, cobsMaxEncodedLength } from './cobs';
export {
  FrameDecoder,
  LINK_OVERHEAD_BYTES,
  LINK_VERSION,
  LinkEncoder,
  LinkKind,
  MAX_LINK_PAYLOAD,
  createFrameDecoder,
  encodeDataFrame,
  encodeLinkFrame,
  parseLinkFrame,
} from './serial-framing';
export type { LinkFrame } from './serial-framing';
export { Link, createLink } from './link';
export type { LinkEndpoint, LinkOptions, LinkStats, LinkTimer } from './link';
export { REPLAY_WINDOW_SIZE, ReplayWindow, replayWindowFromState } from './replay';
export type { ReplayState } from './replay';
export { counterExhausted, counterOnBoot, mustPersist } from './counters';
export { RotatingIdResolver } from './resolver';
export type { ResolvedId } from './resolver';
export type { HmacSha256 } from './rotating-id';
export { openWearableFrame } from './wearable-open';
export type { OpenedWearableFrame } from './wearable-open';
export {
  FAULT_LOW_BATTERY,
  FAULT_MAINS_LOST,
  FAULT_ON_BATTERY,
  FAULT_SELF_TEST_FAILED,
  FAULT_STUCK_BUTTON,
  FAULT_TAMPER,
  STAGE_CLOSED,
  STAGE_HELP_COMING,
  STAGE_RECEIVED,
  TYPE_ACK,
  TYPE_ALARM,
  TYPE_CANCEL,
  TYPE_FAULT,
  TYPE_HEARTBEAT,
  TYPE_TEST_ALARM,
} from './constants';
