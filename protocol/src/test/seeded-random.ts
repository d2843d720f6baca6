// A seeded generator (xorshift32) for tests that draw many inputs: a failing input comes
// back on the next run from the same seed, which Math.random cannot promise.
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 === 0 ? 1 : seed >>> 0;
  return () => {
    state = (state ^ (state << 13)) >>> 0;
    state = (state ^ (state >>> 17)) >>> 0;
    state = (state ^ (state << 5)) >>> 0;
    return state / 4294967296;
  };
}
