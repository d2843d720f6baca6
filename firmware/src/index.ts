// What other packages may read from the firmware: its default timings (the power budget
// computes the wearable's battery life from them). The device code itself is bundled.
export { postDefaults, wearableDefaults } from './config/defaults';
export type { PostConfig, WearableConfig } from './config/defaults';
// The version urgence.info() reports: `urgence flash` compares the two after flashing.
export { FIRMWARE_VERSION, CONFIG_FILE } from './version';
