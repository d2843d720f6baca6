// Ambient declarations of the Espruino globals the board files use (Espruino 2v2x reference,
// espruino.com/Reference). Only what we call, with the argument shapes we pass.

/** Espruino accepts a pin object or its name ("D27") wherever a pin is expected. */
type EspruinoPin = string;

interface EspruinoWatchEvent {
  state: boolean;
  time: number;
  lastTime: number;
}

declare function setWatch(
  callback: (event: EspruinoWatchEvent) => void,
  pin: EspruinoPin,
  options: { repeat: boolean; edge: 'rising' | 'falling' | 'both'; debounce: number },
): number;
declare function digitalWrite(pin: EspruinoPin, value: boolean | number): void;
declare function digitalRead(pin: EspruinoPin): number;
// digitalPulse is left undeclared on purpose: on ESP32 it goes through RMT and cannot time
// pulses over ~32 ms (boards/esp32-post.ts); a timer does it on every port.
declare function pinMode(pin: EspruinoPin, mode: string): void;
/** 0..1 of the ADC's full scale. */
declare function analogRead(pin: EspruinoPin): number;
/** Seconds since 1970 as a float, from the RTC (set by setTime at provisioning). */
declare function getTime(): number;

interface EspruinoStorage {
  readJSON(name: string, noExceptions: boolean): unknown;
  writeJSON(name: string, data: unknown): boolean;
  readArrayBuffer(name: string): ArrayBuffer | undefined;
  write(name: string, data: Uint8Array | string): boolean;
  erase(name: string): void;
  getFree(): number;
}

interface EspruinoCrypto {
  /** Returns the 32-byte digest as an ArrayBuffer (not a typed array). */
  SHA256(message: Uint8Array): ArrayBuffer;
}

declare function require(module: 'Storage'): EspruinoStorage;
declare function require(module: 'crypto'): EspruinoCrypto;

interface EspruinoSerial {
  setup(baud: number, options: { tx: EspruinoPin; rx: EspruinoPin }): void;
  /** Data arrives as a string of 8-bit characters. */
  on(event: 'data', listener: (data: string) => void): void;
  write(data: Uint8Array | string): void;
}
declare const Serial2: EspruinoSerial;

interface EspruinoE {
  /** isAuto false: only E.kickWatchdog() keeps the device alive (proves the JS loop runs). */
  enableWatchdog(timeoutSeconds: number, isAuto: boolean): void;
  kickWatchdog(): void;
}
declare const E: EspruinoE;

interface EspruinoBluetoothDevice {
  manufacturer?: number;
  /** The bytes after the company id (an ArrayBuffer on Espruino 2v2x). */
  manufacturerData?: ArrayBuffer;
}

interface EspruinoNRF {
  setAdvertising(
    data: object,
    options: {
      manufacturer: number;
      manufacturerData: number[];
      interval: number;
      connectable: boolean;
      scannable: boolean;
      showName: boolean;
      discoverable: boolean;
    },
  ): void;
  /** "aa:bb:cc:dd:ee:ff random" — restarts the radio (no built-in privacy on Puck.js). */
  setAddress(address: string): void;
  setScan(
    callback?: (device: EspruinoBluetoothDevice) => void,
    options?: { filters: { manufacturerData: Record<number, object> }[] },
  ): void;
  sleep(): void;
  wake(): void;
  /** Battery volts as measured by the SoC. */
  getBattery(): number;
}
declare const NRF: EspruinoNRF;

/** The console object urgence.info() hangs off (CONTRACTS.md). */
declare let urgence: { info(): void };
