// The HAL services every Espruino board shares: timers, time, Storage, SHA-256, watchdog,
// console. Board files extend this with their pins and radios.
import type { TimerHandle } from '../hal';

// Espruino's built-in modules: the build marks them external, so the calls stay as written.
// require() is how Espruino code reaches them (there is no import on the device).
/* eslint-disable @typescript-eslint/no-require-imports -- Espruino's module loader */
export const storage = require('Storage');
const crypto = require('crypto');
/* eslint-enable @typescript-eslint/no-require-imports */

export class EspruinoDevice {
  nowMs(): number {
    return getTime() * 1000;
  }

  unixSeconds(): number {
    return Math.floor(getTime());
  }

  after(ms: number, run: () => void): TimerHandle {
    return setTimeout(run, ms);
  }

  every(ms: number, run: () => void): TimerHandle {
    return setInterval(run, ms);
  }

  cancel(timer: TimerHandle | undefined): void {
    // clearTimeout() without an id clears EVERY timer on Espruino: never pass undefined.
    if (timer === undefined) return;
    try {
      clearTimeout(timer as number);
    } catch {
      // Already fired: Espruino throws "Unknown Timeout"; nothing left to clear.
    }
  }

  sha256(message: Uint8Array): Uint8Array {
    return new Uint8Array(crypto.SHA256(message));
  }

  loadJson(file: string): unknown {
    return storage.readJSON(file, true);
  }

  saveJson(file: string, value: unknown): void {
    storage.writeJSON(file, value);
  }

  eraseFile(file: string): void {
    storage.erase(file);
  }

  freeBytes(): number {
    return storage.getFree();
  }

  startWatchdog(seconds: number): void {
    // Manual kicking: a hung JavaScript loop must reset the board, not be hidden by it.
    E.enableWatchdog(seconds, false);
  }

  feedWatchdog(): void {
    E.kickWatchdog();
  }

  note(line: string): void {
    console.log(line);
  }
}
