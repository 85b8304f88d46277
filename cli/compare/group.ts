/**
 * The rows of a comparison: each run on its own, or with `--group` the runs of each recipe
 * together (seeds of one experiment). A row's figure is the mean over the runs that have it,
 * with the sample standard deviation (n - 1) when there are two or more; a row's curve is the
 * mean at each global step over the runs that reached it, with the min and max as its band.
 */
import type { Metric } from "./series.js";
import type { Figure, RunSummary } from "./summary.js";

export interface Row {
  readonly label: string;
  /** Never empty; one run unless grouped. */
  readonly runs: readonly [RunSummary, ...RunSummary[]];
}

export interface Stats {
  readonly mean: number;
  /** Null for a single value. */
  readonly std: number | null;
  readonly n: number;
}

export interface BandPoint {
  readonly x: number;
  readonly mean: number;
  readonly lo: number;
  readonly hi: number;
}

/** Groups keep the order in which their recipes first appear. */
export function rowsOf(runs: readonly RunSummary[], group: boolean): Row[] {
  if (!group) return runs.map((run) => ({ label: run.label, runs: [run] }));
  const byRecipe = new Map<string, [RunSummary, ...RunSummary[]]>();
  for (const run of runs) {
    const members = byRecipe.get(run.recipe);
    if (members === undefined) byRecipe.set(run.recipe, [run]);
    else members.push(run);
  }
  return [...byRecipe].map(([recipe, members]) => ({ label: recipe, runs: members }));
}

/** Null when no run of the row has the figure. */
export function figureStats(row: Row, figure: Figure): Stats | null {
  return stats(row.runs.map((run) => run.figures[figure]).filter((v): v is number => v !== null));
}

export function stats(values: readonly number[]): Stats | null {
  const n = values.length;
  if (n === 0) return null;
  const mean = values.reduce((sum, v) => sum + v, 0) / n;
  const std = n < 2 ? null : Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1));
  return { mean, std, n };
}

export function rowCurve(row: Row, metric: Metric): BandPoint[] {
  const atStep = new Map<number, number[]>();
  for (const run of row.runs) {
    for (const { x, y } of run.curves[metric]) {
      const ys = atStep.get(x);
      if (ys === undefined) atStep.set(x, [y]);
      else ys.push(y);
    }
  }
  return [...atStep].map(([x, ys]) => ({ x, mean: stats(ys)!.mean, lo: Math.min(...ys), hi: Math.max(...ys) })).sort((a, b) => a.x - b.x);
}
