// The null control of docs/algorithms.md §1.11: each group's per-response advantages handed to
// its responses in a random order. The numbers of every group stay the same (so the update keeps
// its size), and which response carries which is drawn independently of the reward.

import { requireGroups } from "./batch.js";
import { type Rng, shuffled } from "./rng.js";

/**
 * `values` (one per row, rows group by group) with the values of each group's kept rows permuted
 * uniformly among those rows: a Fisher-Yates shuffle per group, groups in order, all from `rng`.
 * A dropped row keeps its value (the pipeline zeroes it later) and takes no part in its group's
 * permutation, so no advantage moves onto or off a row the loss does not count. Pure.
 */
export function shuffleWithinGroups(values: Float32Array, groupSize: number, kept: Uint8Array, rng: Rng): Float32Array {
  requireGroups(values, groupSize, kept);
  const out = Float32Array.from(values);
  for (let start = 0; start < values.length; start += groupSize) {
    const rows: number[] = [];
    for (let i = start; i < start + groupSize; i++) if (kept[i]) rows.push(i);
    shuffled(rows, rng).forEach((from, k) => {
      out[rows[k] ?? 0] = values[from] ?? 0;
    });
  }
  return out;
}
