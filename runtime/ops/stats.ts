// Masked and grouped reductions shared by the baselines, whitening, EMPG and the metrics.
// Sums run in float64 and in two passes (mean, then squared deviations): a 1M-token batch
// summed in float32, or with the one-pass E[x^2] - E[x]^2 formula, loses the digits that
// whitening divides by.

import { rowCount, type Rollouts } from "./batch.js";

/** Per-group moments of values pooled over the group's kept rows. */
export interface GroupMoments {
  readonly mean: Float64Array;
  /** Unbiased (n - 1); 0 when the group pools fewer than two values. */
  readonly std: Float64Array;
  readonly keptRows: Int32Array;
}

/** Mean, unbiased variance (0 below two values) and count. */
export interface Moments {
  readonly mean: number;
  readonly variance: number;
  readonly count: number;
}

/** Offsets [0, 1, ..., n]: one value per row, for the group reductions below. */
export function oneValuePerRow(n: number): Int32Array {
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) offsets[i] = i;
  return offsets;
}

/**
 * Mean and unbiased std per group, pooling values[offsets[i], offsets[i + 1]) of every kept
 * row i of the group (one value per row for outcomes, all its steps for step rewards).
 */
export function groupMoments(values: Float32Array, offsets: Int32Array, groupSize: number, kept: Uint8Array): GroupMoments {
  const groups = (offsets.length - 1) / groupSize;
  const mean = new Float64Array(groups);
  const std = new Float64Array(groups);
  const keptRows = new Int32Array(groups);
  for (let g = 0; g < groups; g++) {
    const first = g * groupSize;
    const last = first + groupSize;
    let rows = 0;
    let sum = 0;
    let count = 0;
    for (let i = first; i < last; i++) {
      if (!kept[i]) continue;
      rows++;
      const start = offsets[i] ?? 0;
      const end = offsets[i + 1] ?? 0;
      for (let j = start; j < end; j++) sum += values[j] ?? 0;
      count += end - start;
    }
    const m = count > 0 ? sum / count : 0;
    let squares = 0;
    for (let i = first; i < last; i++) {
      if (!kept[i]) continue;
      const end = offsets[i + 1] ?? 0;
      for (let j = offsets[i] ?? 0; j < end; j++) {
        const d = (values[j] ?? 0) - m;
        squares += d * d;
      }
    }
    keptRows[g] = rows;
    mean[g] = m;
    std[g] = Math.sqrt(unbiasedVariance(squares, count));
  }
  return { mean, std, keptRows };
}

/** Sum of values[offsets[i], offsets[i + 1]) per row (o_i = sum_k r_ik for step rewards). */
export function rowSums(values: Float32Array, offsets: Int32Array): Float64Array {
  const n = offsets.length - 1;
  const sums = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    const end = offsets[i + 1] ?? 0;
    for (let j = offsets[i] ?? 0; j < end; j++) sum += values[j] ?? 0;
    sums[i] = sum;
  }
  return sums;
}

/** Mean and count of a per-token quantity over the masked tokens of the kept rows. */
export function tokenMean(values: Float32Array, r: Rollouts): { mean: number; count: number } {
  const { kept, mask, tokenOffsets } = r;
  const n = rowCount(r);
  let sum = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (!kept[i]) continue;
    const end = tokenOffsets[i + 1] ?? 0;
    for (let t = tokenOffsets[i] ?? 0; t < end; t++) {
      if (mask[t]) {
        sum += values[t] ?? 0;
        count++;
      }
    }
  }
  return { mean: count > 0 ? sum / count : 0, count };
}

/** Moments of a per-token quantity over the masked tokens of the kept rows. */
export function tokenMoments(values: Float32Array, r: Rollouts): Moments {
  const { kept, mask, tokenOffsets } = r;
  const { mean, count } = tokenMean(values, r);
  const n = rowCount(r);
  let squares = 0;
  for (let i = 0; i < n; i++) {
    if (!kept[i]) continue;
    const end = tokenOffsets[i + 1] ?? 0;
    for (let t = tokenOffsets[i] ?? 0; t < end; t++) {
      const d = (values[t] ?? 0) - mean;
      if (mask[t]) squares += d * d;
    }
  }
  return { mean, variance: unbiasedVariance(squares, count), count };
}

function unbiasedVariance(squaredDeviations: number, count: number): number {
  return count > 1 ? squaredDeviations / (count - 1) : 0;
}

/** Each row's value copied over its slice [offsets[i], offsets[i + 1]) of an array of `length`. */
export function spreadRows(rowValues: Float32Array, offsets: Int32Array, length: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i + 1 < offsets.length; i++) out.fill(rowValues[i] ?? 0, offsets[i], offsets[i + 1]);
  return out;
}
