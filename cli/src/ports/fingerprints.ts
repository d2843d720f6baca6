// USB fingerprints of the serial ports a technician meets when servicing urgence devices,
// with how much each one says "this is our device". Ids are the vendor/product pairs the
// chips enumerate with (lower-case hex, as udev and sysfs report them).

/** How strongly a port looks like an urgence device; higher sorts first. */
export const PortScore = {
  /** No USB identity (on-board UART, Bluetooth rfcomm): possible, rarely the right one. */
  Unknown: 0,
  /** A USB device we have no fingerprint for. */
  OtherUsb: 1,
  /** A USB-serial bridge chip used on ESP32 dev boards and RS-485 adapters. */
  SerialBridge: 2,
  /** A board that is itself an Espruino device (native USB console). */
  Device: 3,
} as const;

export type PortScoreValue = (typeof PortScore)[keyof typeof PortScore];

export interface UsbFingerprint {
  vendorId: string;
  /** Absent: any product of that vendor. */
  productId?: string;
  name: string;
  score: PortScoreValue;
  /** The kind of urgence device usually behind it, when the chip says so. */
  kind?: 'post' | 'wearable';
}

export const fingerprints: readonly UsbFingerprint[] = [
  // ESP32-S3/C3/C6 built-in USB Serial/JTAG: the post's own console, no bridge chip.
  {
    vendorId: '303a',
    productId: '1001',
    name: 'Espressif ESP32 native USB',
    score: 3,
    kind: 'post',
  },
  { vendorId: '303a', name: 'Espressif USB device', score: 3, kind: 'post' },
  // Espruino's own USB boards (STM32 virtual COM port, as on the Pico and Original).
  { vendorId: '0483', productId: '5740', name: 'Espruino (STM32 USB console)', score: 3 },
  // nRF52 development kits carry a SEGGER J-Link whose CDC port reaches a Puck.js-class
  // chip's console; Nordic's own USB CDC id covers the nRF52840 dongle.
  { vendorId: '1366', name: 'SEGGER J-Link (nRF52 DK)', score: 3, kind: 'wearable' },
  { vendorId: '1915', name: 'Nordic Semiconductor nRF52', score: 3, kind: 'wearable' },
  // Bridge chips on classic ESP32 dev boards and on RS-485/TTL adapters.
  {
    vendorId: '10c4',
    productId: 'ea60',
    name: 'Silicon Labs CP210x',
    score: 2,
    kind: 'post',
  },
  { vendorId: '1a86', productId: '7523', name: 'WCH CH340', score: 2, kind: 'post' },
  { vendorId: '1a86', productId: '55d4', name: 'WCH CH9102', score: 2, kind: 'post' },
  { vendorId: '1a86', name: 'WCH USB-serial', score: 2 },
  { vendorId: '0403', productId: '6001', name: 'FTDI FT232R', score: 2 },
  { vendorId: '0403', productId: '6015', name: 'FTDI FT231X', score: 2 },
  { vendorId: '0403', name: 'FTDI USB-serial', score: 2 },
  { vendorId: '067b', productId: '2303', name: 'Prolific PL2303', score: 2 },
];

/** The most specific fingerprint for a vendor/product pair: exact product beats vendor-only. */
export function findFingerprint(
  vendorId: string | undefined,
  productId: string | undefined,
): UsbFingerprint | undefined {
  if (vendorId === undefined) return undefined;
  const vendor = vendorId.toLowerCase();
  const product = productId?.toLowerCase();
  const exact = fingerprints.find(
    (f) => f.vendorId === vendor && f.productId === product,
  );
  return (
    exact ?? fingerprints.find((f) => f.vendorId === vendor && f.productId === undefined)
  );
}
