// The protocol's numeric constants, in a module that imports nothing: esbuild inlines a
// constant only from such a module, so device bundles carry `24`, not a variable for it.
// Each module re-exports its own; import them from there or from the package.

// messages.ts
// The catalogue's values one by one (MessageType, FaultCode and AckStage gather them): the
// device paths compare with these so a bundle carries the number, not the object.
export const TYPE_ALARM = 1;
export const TYPE_CANCEL = 2;
export const TYPE_HEARTBEAT = 3;
export const TYPE_FAULT = 4;
export const TYPE_TEST_ALARM = 5;
export const TYPE_ACK = 6;
export const FAULT_TAMPER = 1;
export const FAULT_MAINS_LOST = 2;
export const FAULT_ON_BATTERY = 3;
export const FAULT_LOW_BATTERY = 4;
export const FAULT_SELF_TEST_FAILED = 5;
export const FAULT_STUCK_BUTTON = 6;
export const STAGE_RECEIVED = 1;
export const STAGE_HELP_COMING = 2;
export const STAGE_CLOSED = 3;
export const MESSAGE_VERSION = 1;
// CBOR map keys of a message (README section 4), as plain constants so device bundles
// carry no object for them; MessageKey gathers them for everyone else.
export const KEY_VERSION = 0;
export const KEY_TYPE = 1;
export const KEY_COUNTER = 2;
export const KEY_BATTERY = 3;
export const KEY_FAULT = 4;
export const KEY_ACTIVE = 5;
export const KEY_REF = 6;
export const KEY_STAGE = 7;
export const KEY_ETA = 8;
export const KEY_MAINS = 9;
export const KEY_IN_CALL = 10;
export const UINT32_MAX = 4294967295;

// hmac.ts
// SHA-256 works on 64-byte blocks (RFC 2104 §2: B = 64).
export const BLOCK_SIZE = 64;

// cose.ts
export const COSE_MAC0_TAG = 17;
export const COSE_HEADER_ALG = 1;
export const COSE_HEADER_CRIT = 2;
export const COSE_HEADER_KID = 4;
/** HMAC 256/64: HMAC-SHA256 truncated to its first 8 bytes (RFC 9053 §3.1). */
export const ALG_HMAC_256_64 = 4;
/** HMAC 256/256, accepted on verify only (the cose-wg examples use it); never created. */
export const ALG_HMAC_256_256 = 5;
export const HMAC_256_64_TAG_BYTES = 8;

// device-id.ts
export const DEVICE_ID_BYTES = 4;

// rotating-id.ts
/** 15 minutes: short enough to defeat tracking, long enough for a handful of resolver ids. */
export const ROTATION_SECONDS = 900;
export const ROTATING_ID_BYTES = 8;
export const RANDOM_ADDRESS_BYTES = 6;

// ble-frame.ts
/** Bluetooth SIG company id 0xFFFF: reserved for tests and unassigned use, not ours. */
export const COMPANY_ID = 0xffff;
/**
 * 31-byte advert = flags AD (3) + manufacturer AD header (length 1, type 1, company id 2)
 * + 24 bytes of frame. The whole budget is used.
 */
export const WEARABLE_FRAME_BYTES = 24;
export const FRAME_VERSION = 1;
export const NO_BATTERY = 0xff;
export const FRAME_TAG_BYTES = 8;
export const FRAME_TAG_OFFSET = WEARABLE_FRAME_BYTES - FRAME_TAG_BYTES;
export const FAULT_ACTIVE_BIT = 0x80;
/** First frame offset under the mask; offsets 9..15 are masked, the event (13) excepted. */
export const MASKED_FROM = 9;
export const MASKED_TO = 16;
export const EVENT_OFFSET = 13;
/** Header bytes (version 1 in the high nibble): `11` wearable event, `12` wearable ack. */
export const WEARABLE_EVENT_HEADER = 0x11;
export const WEARABLE_ACK_HEADER = 0x12;

// wearable-ack.ts
/** eta field value meaning "no ETA"; an ETA is therefore at most 65,534 s. */
export const NO_ETA = 0xffff;

// serial-framing.ts
export const LINK_VERSION = 1;
/** Header, seq and CRC around the payload. */
export const LINK_OVERHEAD_BYTES = 4;
/**
 * Largest payload: a sealed message is ~30 bytes; 240 leaves room for growth while a whole
 * frame still fits one 256-byte UART buffer on the ESP32 with COBS and delimiters.
 */
export const MAX_LINK_PAYLOAD = 240;
export const DELIMITER = 0;

// post-ack.ts
// d1 84 43 a10104 a1 04 44 <kid>: the payload's byte-string head is at offset 13.
export const PAYLOAD_HEAD = 13;

// cbor.ts
/** Deeper nesting than any of our messages needs; bounds the decoder's recursion. */
export const CBOR_MAX_DEPTH = 16;
// Largest integer both Node (2^53 - 1, exact doubles) and Lua 5.3 represent exactly.
export const MAX_SAFE = 9007199254740991;

// replay.ts
export const REPLAY_WINDOW_SIZE = 32;
