/**
 * Paired differences for the lab's table (lab/README.md "Controls"): the mean of differences
 * between two arms that share what they are paired on (a seed and its warm-up, or a test
 * problem), with the standard error of that mean, sd / sqrt(n) with the n - 1 variance
 * (docs/algorithms.md §10). A claim is made only where the mean lies beyond 2 standard errors.
 */
import { meanSe } from "../runtime/record/eval-figures.js";

export interface Paired {
  readonly mean: number;
  /** NaN when fewer than two pairs: one pair has no spread to estimate. */
  readonly se: number;
  readonly n: number;
}

export function paired(differences: readonly number[]): Paired {
  const n = differences.length;
  if (n === 0) return { mean: Number.NaN, se: Number.NaN, n };
  const { mean, se } = meanSe(differences);
  return { mean, se: se ?? Number.NaN, n };
}

/** Beyond 2 standard errors from zero (a spread of 0 with a nonzero mean counts as beyond). */
export function shown(p: Paired): boolean {
  return Number.isFinite(p.se) && Math.abs(p.mean) > 2 * p.se;
}

/** `+5.2 ± 1.0` in points of accuracy, then `(shown)` or `(not shown)`; `—` for no pairs. */
export function formatPaired(p: Paired): string {
  if (p.n === 0) return "—";
  const points = (x: number) => (100 * x).toFixed(1);
  const sign = p.mean >= 0 ? "+" : "";
  const se = Number.isFinite(p.se) ? ` ± ${points(p.se)}` : " (one seed)";
  return `${sign}${points(p.mean)}${se}${Number.isFinite(p.se) ? (shown(p) ? " shown" : " not shown") : ""}`;
}
