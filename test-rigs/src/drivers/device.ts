// What a scenario can do to one device under test, whatever realises it: a simulated device
// running the built bundle (virtual driver) or a board on a bench (bench driver).

import type { Place } from '../rig/rigFile';

/** Sensed outputs by name (calling, received, strobe, red, green, blue, vibration): on/off. */
export type Outputs = Record<string, boolean>;

export interface DeviceUnderTest {
  readonly place: Place;
  readonly deviceId: string;
  /** False between powerCut() and powerRestore(). */
  readonly powered: boolean;
  /** Puts the finger on the button (stays down until release). */
  press(): Promise<void>;
  release(): Promise<void>;
  /** Press, keep the button down for `ms` of device time, release. */
  hold(ms: number): Promise<void>;
  /** Current state of every sensed output. */
  outputs(): Promise<Outputs>;
  /** Opens (true) or closes the post's door switch. */
  setTamper(open: boolean): Promise<void>;
  powerCut(): Promise<void>;
  powerRestore(): Promise<void>;
  /** Cuts the post's serial link or the wearable's radio path to the gateway. */
  linkCut(): Promise<void>;
  linkRestore(): Promise<void>;
  /** Console lines printed by the device so far. */
  consoleLines(): string[];
  /**
   * Lets `ms` of device time pass: simulated time on the virtual rig (so a 5 s pre-alarm
   * costs nothing), wall time on a bench.
   */
  elapse(ms: number): Promise<void>;
}

export class NotWiredError extends Error {
  constructor(place: string, what: string, how: string) {
    super(`place ${place} cannot ${what}: ${how}`);
    this.name = 'NotWiredError';
  }
}
