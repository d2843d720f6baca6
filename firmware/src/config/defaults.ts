// Default timings and thresholds of both devices. Every value may be overridden per device
// in Storage "urgence.json" (CONTRACTS.md); hardware/power-budget.ts reads the wearable's.

/** Street post defaults (issue 3: one press raises, repeat within 10 s ignored, ...). */
export const postDefaults = {
  /** A second press this soon after an alarm is ignored: a panicked caller must not cancel. */
  repeatIgnoreMs: 10000,
  /** Held longer than this, the button is reported as stuck (a fault), not as alarms. */
  stuckButtonMs: 30000,
  /** Contact bounce filter given to setWatch. */
  debounceMs: 50,
  heartbeatMs: 60000,
  /** Alarm resend after a link failure: first delay, doubled up to the ceiling. */
  retryFirstMs: 2000,
  retryMaxMs: 60000,
  /** Link-level retransmission of one frame before it counts as a failure. */
  linkAckTimeoutMs: 500,
  linkRetries: 4,
  /** No link ack for this long while something is pending: show "gateway unreachable". */
  unreachableAfterMs: 15000,
  /** Mains, tamper and battery are sampled this often (also debounces the mains relay). */
  sensePollMs: 1000,
  /** On battery is reported at once; "mains lost" once the outage lasts this long. */
  mainsLostAfterMs: 300000,
  /** 12 V lead-acid backup: low below this (Yuasa NP7-12: 10.5 V is fully discharged). */
  batteryLowVolts: 11.5,
  selfTestEveryMs: 86400000,
  /** After the gateway holds the alarm, the lamps show its stage at most this long
   * without a "closed" from dispatch, then the post rests (the incident lives on). */
  alarmShowMaxMs: 3600000,
  /** Relay pulse that starts the SIP intercom's call. */
  intercomPulseMs: 500,
  watchdogSeconds: 10,
  watchdogKickMs: 2000,
  /** Counter persisted every K values; on boot resume at stored + K (OSCORE B.1.1). */
  /** A post heartbeats every minute: 64 keeps flash writes to ~8,000 a year. */
  counterStep: 64,
} as const;

/** Wearable defaults (issue 3: hold 2 s or 3 presses in 1.5 s, 5 s pre-alarm, ...). */
export const wearableDefaults = {
  holdMs: 2000,
  multiPressCount: 3,
  multiPressWindowMs: 1500,
  debounceMs: 30,
  /** EN 50134-2 optional pre-alarm: one press within it cancels. */
  preAlarmMs: 5000,
  /** 100 ms: the shortest interval Espruino allows for a non-connectable advert. */
  fastAdvertMs: 100,
  fastPhaseMs: 20000,
  slowAdvertMs: 1000,
  /** Give up advertising an alarm nobody acknowledged after this long. */
  alarmTimeoutMs: 300000,
  /** At least one supervision advert per 24 h; 12 h leaves room for one missed burst. */
  supervisionEveryMs: 43200000,
  supervisionBurstMs: 3000,
  supervisionAdvertMs: 500,
  /** Battery sampled this often; below lowBatteryVolts a LowBattery fault is advertised. */
  batteryCheckMs: 21600000,
  /** CR2032 at rest: 2.6 V is past the knee of the curve, see hardware/power-budget.ts. */
  lowBatteryVolts: 2.6,
  /** Each kick wakes the CPU: 15 s costs ~0.3 uA (power budget); 60 s bounds a hang. */
  watchdogSeconds: 60,
  watchdogKickMs: 15000,
  counterStep: 16,
} as const;

/**
 * The names urgence.json uses, in the order of the tables above. The build shortens the
 * tables' keys (mangleProps, src/minify-names.ts) so the logic reads `t.holdMs` as two
 * letters; the config reader maps each name here to the key at the same place. One
 * space-separated string: the cheapest way to carry the names on the device.
 */
export const postSettingNames =
  /* @__PURE__ */ 'repeatIgnoreMs stuckButtonMs debounceMs heartbeatMs retryFirstMs retryMaxMs linkAckTimeoutMs linkRetries unreachableAfterMs sensePollMs mainsLostAfterMs batteryLowVolts selfTestEveryMs alarmShowMaxMs intercomPulseMs watchdogSeconds watchdogKickMs counterStep'.split(
    ' ',
  );
export const wearableSettingNames =
  /* @__PURE__ */ 'holdMs multiPressCount multiPressWindowMs debounceMs preAlarmMs fastAdvertMs fastPhaseMs slowAdvertMs alarmTimeoutMs supervisionEveryMs supervisionBurstMs supervisionAdvertMs batteryCheckMs lowBatteryVolts watchdogSeconds watchdogKickMs counterStep'.split(
    ' ',
  );

export type PostConfig = { -readonly [K in keyof typeof postDefaults]: number };
export type WearableConfig = { -readonly [K in keyof typeof wearableDefaults]: number };
