// Firmware version reported by urgence.info(); the CLI compares it after flashing.
export const FIRMWARE_VERSION = '0.1.0';
export const CONFIG_FILE = 'urgence.json';
