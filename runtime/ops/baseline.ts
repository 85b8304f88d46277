// Every group-relative baseline of docs/algorithms.md §0 step 4 and §1 is, for each row, one
// affine map x -> (x - shift_i) * invScale_i. group_norm and rloo only differ in how they
// compute shift and invScale; what the map is applied to differs with the credit: the outcome
// value (one per row), the step rewards (sum-form, soft min-form) or the token returns
// (strict min-form). Keeping the map as data lets one loop serve all three.

/** Per-row baseline: x' = (x - shift_i) * invScale_i. */
export interface RowBaseline {
  readonly shift: Float64Array;
  /** 0 for dropped rows and for a row alone in its group, so their advantages are exactly 0. */
  readonly invScale: Float64Array;
  /** Groups with exactly one kept row (reported as a warning metric). */
  readonly singletonGroups: number;
}

/**
 * Applies the baseline to values[offsets[i], offsets[i + 1]) of every row i: pass
 * `oneValuePerRow(n)` for outcome values, `stepOffsets` for step rewards, `tokenOffsets` for
 * token returns. docs/algorithms.md §0 step 4.
 */
export function applyBaseline(values: Float32Array, offsets: Int32Array, b: RowBaseline): Float32Array {
  const out = new Float32Array(values.length);
  const n = offsets.length - 1;
  for (let i = 0; i < n; i++) {
    const shift = b.shift[i] ?? 0;
    const invScale = b.invScale[i] ?? 0;
    const end = offsets[i + 1] ?? 0;
    for (let j = offsets[i] ?? 0; j < end; j++) out[j] = ((values[j] ?? 0) - shift) * invScale;
  }
  return out;
}

/** Number of groups left with exactly one kept row. */
export function countSingletons(keptRows: Int32Array): number {
  let count = 0;
  for (let g = 0; g < keptRows.length; g++) if (keptRows[g] === 1) count++;
  return count;
}
