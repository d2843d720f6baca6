// The Espruino simulator: runs emitted firmware bundles with Espruino's globals, plus the
// console REPL and pty attachment the CLI and test rigs use. See firmware/README.md.
export { SimDevice, absentBuiltins, type SimOptions, type WatchdogState } from './device';
export { FakeClock } from './clock';
export { StorageJournal, type StorageStats } from './storage';
export { PinBank, type PinChange } from './pins';
export { Radio, maxAdvertBytes, type Advert, type ScanResult } from './radio';
export { SimUart } from './uart';
export { SimConsole } from './console';
export {
  attachPty,
  openPtyPair,
  uartEndpoint,
  consoleEndpoint,
  type ByteEndpoint,
  type PtyAttachment,
  type PtyPair,
} from './pty';
export type { RestartMode } from './device';
