/** Timing for `npm run bench`: the median of repeated runs after warm-up, in milliseconds. */
export function medianMillis(run: () => unknown, repeats: number, warmup = 3): number {
  for (let i = 0; i < warmup; i++) run();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) times.push(timed(run));
  return medianOf(times);
}

/** The same for work that is awaited, such as a request to a server. */
export async function medianMillisAsync(run: () => Promise<unknown>, repeats: number, warmup = 3): Promise<number> {
  for (let i = 0; i < warmup; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return medianOf(times);
}

/**
 * `run` and `baseline` timed in alternation, `pairs` times after a warm-up of each, and the pair
 * whose ratio is the median: a drift of the machine (another process, a collection of garbage
 * left by the work before) then lands on both sides of a pair instead of on one side of the
 * comparison, as farm-bench pairs commands.
 */
export function medianPair(run: () => unknown, baseline: () => unknown, pairs: number): { millis: number; baselineMillis: number } {
  run();
  baseline();
  const measured: { millis: number; baselineMillis: number }[] = [];
  for (let i = 0; i < pairs; i++) {
    const millis = timed(run);
    measured.push({ millis, baselineMillis: timed(baseline) });
  }
  measured.sort((a, b) => a.millis / a.baselineMillis - b.millis / b.baselineMillis);
  const median = measured[Math.floor(measured.length / 2)];
  if (median === undefined) throw new Error("medianPair: no pairs to take the median of");
  return median;
}

function timed(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

function medianOf(times: number[]): number {
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  if (median === undefined) throw new Error("medianMillis: no repeats to take the median of");
  return median;
}

/** One bench result: the thing measured against its baseline measured in the same run. */
export interface Comparison {
  name: string;
  millis: number;
  baseline: string;
  baselineMillis: number;
  goal: string;
}

export function formatComparison(c: Comparison): string {
  const ratio = c.millis / c.baselineMillis;
  const measured = `${c.name.padEnd(44)} ${c.millis.toFixed(1).padStart(8)} ms`;
  const baseline = `${c.baseline} ${c.baselineMillis.toFixed(1).padStart(8)} ms`;
  return `${measured}   ${baseline}   ratio ${ratio.toFixed(2)}x   (goal: ${c.goal})`;
}
