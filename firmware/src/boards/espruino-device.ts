// The HAL services every Espruino board shares: timers, time, Storage, SHA-256, watchdog,
// console. Board files extend this with their pins and radios.
import type { TimerHandle } from '../hal';

/** Espruino's require() is a global; reached through `global` so the bundler leaves it. */
declare const global: { require(name: string): unknown };

export const storage = global.require('Storage') as EspruinoStorage;
const crypto = global.require('crypto') as EspruinoCrypto;

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

  readJSON(file: string): unknown {
    return storage.readJSON(file, true);
  }

  writeJSON(file: string, value: unknown): void {
    storage.writeJSON(file, value);
  }

  erase(file: string): void {
    storage.erase(file);
  }

  storageFree(): number {
    return storage.getFree();
  }

  enableWatchdog(seconds: number): void {
    // Manual kicking: a hung JavaScript loop must reset the board, not be hidden by it.
    E.enableWatchdog(seconds, false);
  }

  kickWatchdog(): void {
    E.kickWatchdog();
  }

  print(line: string): void {
    console.log(line);
  }
}
