/** Timing for `npm run bench`: the median of repeated runs after warm-up, in milliseconds. */
export function medianMillis(run: () => unknown, repeats: number, warmup = 3): number {
  for (let i = 0; i < warmup; i++) run();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** `medianMillis` of an asynchronous run (each awaited before the next starts). */
export async function medianMillisAsync(run: () => Promise<unknown>, repeats: number, warmup = 3): Promise<number> {
  for (let i = 0; i < warmup; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return median(times);
}

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (middle === undefined) throw new Error("medianMillis: no repeats to take the median of");
  return middle;
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
