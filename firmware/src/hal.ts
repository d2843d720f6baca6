// The small hardware interface the platform-free logic runs on. Each board file implements
// it with Espruino's globals; the unit tests implement it with fakes. Nothing here is async.
import type { Sha256 } from '@urgence/protocol';

/** Opaque handle of a timer (Espruino returns a number, Node an object). */
export type TimerHandle = unknown;

/** Services both devices have. */
export interface DeviceHal {
  /** Milliseconds from an arbitrary origin, never going back (Espruino getTime()*1000). */
  nowMs(): number;
  /** Wall-clock seconds since 1970 (set at provisioning; drives the rotating windows). */
  unixSeconds(): number;
  after(ms: number, run: () => void): TimerHandle;
  every(ms: number, run: () => void): TimerHandle;
  /** Clears a timer from after() or every(); undefined is ignored. */
  cancel(timer: TimerHandle | undefined): void;
  sha256: Sha256;
  loadJson(file: string): unknown;
  /**
   * False when Storage refused the write (full even after its own compaction): the file is
   * then gone, as jsflash.c erases the old copy before it looks for room. Never throws.
   */
  saveJson(file: string, value: unknown): boolean;
  /** True while the latest saveJson was refused: the logic reports a Storage fault. */
  readonly writeRefused: boolean;
  eraseFile(file: string): void;
  /** Free bytes in the Storage journal (for urgence.info() and the self-test). */
  freeBytes(): number;
  /** Calls back on each debounced button edge; true = pressed. */
  watchButton(onEdge: (pressed: boolean) => void): void;
  batteryVolts(): number;
  startWatchdog(seconds: number): void;
  feedWatchdog(): void;
  /** One line to the console (the CLI's monitor reads it). */
  note(line: string): void;
}

/** Lamps of the post: amber = calling, green = received / help coming, blue strobe. */
export type PostLamp = 'calling' | 'received' | 'strobe';

export interface PostHal extends DeviceHal {
  /** The button line now (the self-test checks it rests); the wearable never reads it. */
  buttonPressed(): boolean;
  lamp(which: PostLamp, on: boolean): void;
  tamperOpen(): boolean;
  mainsPresent(): boolean;
  /** Closes the intercom relay for ms to start the SIP call. */
  intercomDial(ms: number): void;
  intercomInCall(): boolean;
  /** Raw bytes to the gateway UART (the board toggles the RS-485 driver enable). */
  linkWrite(bytes: Uint8Array): void;
  onLinkData(receive: (bytes: Uint8Array) => void): void;
}

export type WearableLamp = 'red' | 'green' | 'blue';

export interface WearableHal extends DeviceHal {
  lamp(which: WearableLamp, on: boolean): void;
  /** Feedback motor; boards without one (Puck.js) do nothing. */
  vibrate(ms: number): void;
  /** Non-connectable, non-scannable advert of this manufacturer data (after the company id). */
  advertise(manufacturerData: Uint8Array, intervalMs: number): void;
  /** Radio quiet: no advert at all, so nothing static goes on air. */
  stopAdvertising(): void;
  /** Random static address (6 bytes, most significant first). */
  useAddress(address: Uint8Array): void;
  /** Listens for adverts carrying our company id; gives their data after the company id. */
  startScan(onAdvert: (manufacturerData: Uint8Array) => void): void;
  stopScan(): void;
}
