// The street call post: an ESP32-WROOM-32E on the post's controller board, mains powered
// through a security power supply with a 12 V lead-acid backup. See hardware/README.md.
import type { AnalogSense, DigitalLine, PublishedCurrent, SerialPort } from './types';

/** Lines the post firmware drives and reads (the firmware bundle imports only these). */
export const esp32PostPins = {
  // Blue 22 mm push button, normally open to ground; GPIO27 has an internal pull-up.
  button: { pin: 'D27', activeHigh: false, mode: 'input_pullup' } as DigitalLine,
  // Status LEDs (through 330 R): amber = calling, green = received / help coming.
  ledCalling: { pin: 'D19', activeHigh: true, mode: 'output' } as DigitalLine,
  ledReceived: { pin: 'D18', activeHigh: true, mode: 'output' } as DigitalLine,
  // Gate of the logic-level MOSFET that switches the 12 V blue strobe.
  strobe: { pin: 'D26', activeHigh: true, mode: 'output' } as DigitalLine,
  // Door microswitch, normally closed to ground while the door is shut: open = tamper.
  tamper: { pin: 'D33', activeHigh: true, mode: 'input_pullup' } as DigitalLine,
  // Supply's AC-OK contact through an optocoupler; GPIO34 is input-only without pull-up,
  // so the board carries a 10 k pull-up. Low = mains present.
  mainsOk: { pin: 'D34', activeHigh: false, mode: 'input' } as DigitalLine,
  // Intercom: relay closing the SIP module's call input; the module's call-active output
  // comes back through an optocoupler (GPIO39 is input-only: external pull-up).
  intercomRelay: { pin: 'D32', activeHigh: true, mode: 'output' } as DigitalLine,
  intercomActive: { pin: 'D39', activeHigh: false, mode: 'input' } as DigitalLine,
  // RS-485 transceiver driver enable (DE and /RE tied): high while transmitting.
  rs485DriverEnable: { pin: 'D4', activeHigh: true, mode: 'output' } as DigitalLine,
};

// 12 V battery through 100 k / 27 k: 13.8 V float gives 2.93 V at the pin. ADC1 channel
// (GPIO35) because ADC2 is unusable while the radio is on.
export const esp32PostBattery = {
  pin: 'D35',
  // (100 k + 27 k) / 27 k written out: the bundler keeps any object holding arithmetic.
  dividerRatio: 4.7037,
  fullScaleVolts: 3.3,
} as AnalogSense;

/** Serial port to the gateway (RS-485 through the MAX3485). */
export const esp32PostUart = {
  port: 'Serial2',
  tx: 'D17',
  rx: 'D16',
  baud: 115200,
} as SerialPort;

export const esp32Post = {
  name: 'esp32-post',
  kind: 'post',
  /** Espruino build this board runs. */
  espruinoBoard: 'ESP32',
  pins: esp32PostPins,
  battery: esp32PostBattery,
  gatewayUart: esp32PostUart,
  /** Lead-acid thresholds (Yuasa NP7-12 datasheet: 10.5 V end of discharge at 0.05 C). */
  batteryLowVolts: 11.5,
  /** The two rails: 12 V (PS1 float 13.8 V, BT1 down to 10.5 V) and 3.3 V from U3. */
  rails: { supplyFloatVolts: 13.8, supplyEmptyVolts: 10.5, logicVolts: 3.3 },
  /**
   * K1 (Omron G5V-1-DC12) on the 12 V rail, switched low side by Q1 (MMBT3904) from GPIO32
   * through R7. Coil figures: Omron G5V-1 datasheet, "Coil ratings", 12 VDC column.
   */
  intercomRelayCoil: {
    coilVolts: 12,
    coilOhms: 960,
    /** Must-operate voltage: 80 % of rated at most; maximum 160 % of rated at 70 °C. */
    mustOperateShare: 0.8,
    maxShare: 1.6,
    baseOhms: 1000,
    baseEmitterVolts: 0.7,
  },
  currents: {
    // ESP32 datasheet v4.x, table "Power consumption by power modes": modem-sleep, CPU at
    // 80 MHz, radio off: 20-31 mA; the post keeps Wi-Fi and BLE off.
    cpuActive: { amps: 0.031, source: 'ESP32 datasheet, modem-sleep 80 MHz max' },
    strobe: {
      amps: 0.04,
      source: '2 strings of 3 blue LEDs, 20 mA max each, 12 V (BOM)',
    },
    relayCoil: { amps: 0.0144, source: 'G5V-1 12 VDC coil, 960 R at 13.8 V float' },
  } as Record<string, PublishedCurrent>,
} as const;

export type Esp32PostBoard = typeof esp32Post;
