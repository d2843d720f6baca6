// The wearable's stages as small numbers, in a module that imports nothing so the bundler
// inlines them: the 8 KB bundle compares digits, and names them only for urgence.info().

export const IDLE = 0;
export const PRE_ALARM = 1;
export const ALARM = 2;
export const BURST = 3;

/** What urgence.info() and state() show, indexed by the numbers above. */
export const STAGE_NAMES = ['idle', 'preAlarm', 'alarm', 'burst'];
