// Board definitions the firmware build and the power budget read: one source of truth for
// pins, serial ports and published currents.
export type {
  AnalogSense,
  DigitalLine,
  PublishedCurrent,
  SerialPort,
} from './boards/types';
export {
  esp32Post,
  esp32PostBattery,
  esp32PostPins,
  esp32PostUart,
} from './boards/esp32-post';
export type { Esp32PostBoard } from './boards/esp32-post';
export { puckjs, puckjsPins } from './boards/puckjs';
export type { PuckjsBoard } from './boards/puckjs';
