import { seededRandom } from '../schedule/random.js';

/** A seeded pseudo-random generator: returns floats in [0, 1). Same seed, same sequence. */
export type Prng = () => number;

/** Create a deterministic PRNG from a 32-bit seed (the schedule module's mulberry32). */
export function createPrng(seed: number): Prng {
  return seededRandom(seed);
}

/** A whole number in [min, max] drawn from `random`. */
export function randomInt(random: Prng, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}
