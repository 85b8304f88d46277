// Lifts of an outcome value (one per row) to step rewards, so it can be mixed with a process
// reward of the same granularity (docs/language.md §5 "Reward expressions": `at_end`, `each_step`). An empty response has
// no step to carry its outcome; it has no token to train on either.

import { requireLength, rowCount, type Rollouts } from "./batch.js";
import { spreadRows } from "./stats.js";

/**
 * Returns a copy of `stepValues` with rowValues[i] added to the last step of row i: the
 * verifiable reward of PURE's PRM+VR mixing, which lands on the last step after the min-form
 * weighting (Cheng et al. 2025, "Stop Summation", PURE). docs/algorithms.md §4.
 */
export function addAtEnd(stepValues: Float32Array, rowValues: Float32Array, r: Rollouts): Float32Array {
  requireLength(stepValues, r.stepEnds.length, "step values");
  requireLength(rowValues, rowCount(r), "row values");
  const out = Float32Array.from(stepValues);
  for (let i = 0; i < rowValues.length; i++) {
    const end = r.stepOffsets[i + 1] ?? 0;
    if (end > (r.stepOffsets[i] ?? 0)) out[end - 1] = (stepValues[end - 1] ?? 0) + (rowValues[i] ?? 0);
  }
  return out;
}

/** `at_end(r)`: the outcome on the last step, 0 on the others. docs/algorithms.md §0 step 1 and §4. */
export function atEnd(rowValues: Float32Array, r: Rollouts): Float32Array {
  return addAtEnd(new Float32Array(r.stepEnds.length), rowValues, r);
}

/** `each_step(r)`: the outcome broadcast to every step of its row. docs/algorithms.md §0 step 1. */
export function eachStep(rowValues: Float32Array, r: Rollouts): Float32Array {
  requireLength(rowValues, rowCount(r), "row values");
  return spreadRows(rowValues, r.stepOffsets, r.stepEnds.length);
}
