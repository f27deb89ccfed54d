/**
 * A seeded pseudo-random source for tests that generate inputs (mulberry32): the same seed gives
 * the same sequence on every machine, so a generated case that fails can be replayed.
 *
 * @module
 */

/** A generator of numbers uniform in [0, 1), fixed by `seed`. */
export function seededRandom(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
