// The wearable: an Espruino Puck.js v2 (nRF52832) on a CR2032 cell. Pins are the ones
// Espruino names on that board; the figures feed hardware/power-budget.ts.
import type { DigitalLine, PublishedCurrent } from './types';

/** Lines the wearable firmware uses (the firmware bundle imports only these). */
export const puckjsPins = {
  // The whole top of the Puck is the button; pressed reads high (Espruino's BTN = D0, which
  // Espruino itself sets up as input_pulldown). No modes here: the firmware sets none, and
  // digitalWrite() makes a LED pin an output by itself.
  button: { pin: 'D0', activeHigh: true } as DigitalLine,
  ledRed: { pin: 'D5', activeHigh: true } as DigitalLine,
  ledGreen: { pin: 'D4', activeHigh: true } as DigitalLine,
  ledBlue: { pin: 'D3', activeHigh: true } as DigitalLine,
};

export const puckjs = {
  name: 'puckjs',
  kind: 'wearable',
  espruinoBoard: 'PUCKJS',
  pins: puckjsPins,
  /** The Puck.js has no vibration motor: feedback is by LED only. */
  vibration: undefined as DigitalLine | undefined,
  battery: {
    nominalMilliampHours: 225,
    cutoffVolts: 2.0,
    source: 'Panasonic CR2032 datasheet: 225 mAh to 2.0 V at 15 kOhm',
  },
  currents: {
    // nRF52832 Product Specification v1.4, section 18 (current consumption), 3 V, DC/DC on.
    systemOnRtc: { amps: 1.9e-6, source: 'nRF52832 PS v1.4 ION_RAMON_RTC' },
    radioTx0dBm: { amps: 5.3e-3, source: 'nRF52832 PS v1.4 ITX,PLUS0DBM,DCDC' },
    radioRx1M: { amps: 5.4e-3, source: 'nRF52832 PS v1.4 IRX,1M,DCDC' },
    cpuFlash: { amps: 3.7e-3, source: 'nRF52832 PS v1.4 ICPU,FLASH,DCDC (64 MHz)' },
    hfxo: { amps: 0.25e-3, source: 'nRF52832 PS v1.4 IX64M' },
    // Board-level quiescent beyond the SoC (sensors powered down, regulator leakage):
    // Espruino's Puck.js page gives ~3 uA "not doing anything" for the whole board.
    boardIdle: { amps: 3e-6, source: 'espruino.com/Puck.js power consumption' },
    led: { amps: 2e-3, source: 'Puck.js LED with its series resistor at 3 V (approx.)' },
  } as Record<string, PublishedCurrent>,
  timings: {
    /** Radio ramp-up before each transmission (nRF52832 PS v1.4 tTXEN, default mode). */
    radioRampUpSeconds: 140e-6,
    /** CPU awake per advertising event (SoftDevice scheduling + HFXO start), estimate. */
    cpuPerAdvertSeconds: 1.5e-3,
    /** Bit rate of BLE 1M PHY. */
    bitsPerSecond: 1e6,
  },
} as const;

export type PuckjsBoard = typeof puckjs;
