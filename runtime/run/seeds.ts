/**
 * Every random choice of a run (which examples a step trains on, the sampler's draws, the null
 * control's permutation of advantages, docs/algorithms.md §1.11) comes from a generator seeded
 * by the run's seed and *where* the choice is made: the stage, the step, the purpose. Nothing random carries over from one step to the next, so a run resumed
 * from a checkpoint draws exactly what the uninterrupted run drew, with no generator state to
 * save.
 */
import { mulberry32, type Rng } from "../ops/rng.js";

export type Purpose = "order" | "expert-order" | "sample" | "eval" | "dropout" | "filter" | "control" | "refill-order" | "refill-sample";

/** A purpose's number is part of every seed drawn for it: never renumber one, add new ones at the end. */
const PURPOSES: Record<Purpose, number> = {
  order: 1,
  "expert-order": 2,
  sample: 3,
  eval: 4,
  dropout: 5,
  filter: 6,
  control: 7,
  // Dynamic sampling's extra rounds (docs/algorithms.md §1.10): their prompts and their draws.
  "refill-order": 8,
  "refill-sample": 9,
};

/** A 32-bit seed for (run seed, stage, index, purpose); `index` is a step or an epoch. */
export function streamSeed(runSeed: number, stage: number, index: number, purpose: Purpose): number {
  let h = mix(runSeed >>> 0);
  for (const part of [stage, index, PURPOSES[purpose]]) h = mix((h ^ (part >>> 0)) >>> 0);
  return h;
}

export function streamRng(runSeed: number, stage: number, index: number, purpose: Purpose): Rng {
  return mulberry32(streamSeed(runSeed, stage, index, purpose));
}

// The 32-bit finaliser of MurmurHash3: every input bit flips about half the output bits, so
// neighbouring steps get unrelated streams.
function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}
