// The device side of replay protection: a counter that never repeats, even across reboots,
// without writing flash on every message (Espruino's Storage is a journal that fills with
// trash on each rewrite). Persist in steps of K and resume at stored + K, as OSCORE's
// RFC 8613 Appendix B.1.1 does.

import { UINT32_MAX } from './messages';

/**
 * The persisted value P promises: every counter used so far is below P + step.
 * On boot, the next counter is P + step (persist it before using it: mustPersist says so).
 */
export function counterOnBoot(stored: number, step: number): number {
  return stored + step;
}

/**
 * True when using counter would break the promise of the persisted value: write counter to
 * flash first (it becomes the new persisted value), then send. With step K, one write in K.
 */
export function mustPersist(counter: number, persisted: number, step: number): boolean {
  return counter >= persisted + step;
}

/** A counter past 2^32-1 cannot be sent: the device must be given a new key (and counter 0). */
export function counterExhausted(counter: number): boolean {
  return counter > UINT32_MAX;
}
