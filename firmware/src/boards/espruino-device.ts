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
  // Set by every saveJson, and the counter writes at boot before anything reads it: no
  // initial value, which would cost the wearable a constructor.
  declare writeRefused: boolean;

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

  saveJson(file: string, value: unknown): boolean {
    // writeJSON compacts the journal by itself before it gives up, then throws "Unable to
    // find or create file": a second compact() here would find no trash left to drop.
    try {
      storage.writeJSON(file, value);
      this.writeRefused = false;
    } catch {
      this.writeRefused = true;
    }
    return !this.writeRefused;
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
