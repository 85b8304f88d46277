/**
 * Which point of a sweep starts next (docs/architecture.md "Sweeps"). Points whose plans begin
 * with the same stages (the same stage keys: the stage cache's, runtime/stage-cache/) compute
 * those stages once: the first of them in the sweep's order runs, and the others wait until it
 * has ended every stage they share with it, then start from the cache. A point blocked so is
 * passed over for the next one that is not, so the slots stay busy while the shared stages train.
 */

export interface Scheduled {
  /** One key per stage of the point's plan, in run order. */
  readonly keys: readonly string[];
}

export interface Running extends Scheduled {
  /** How many of its stages, from the first, have ended (and so are in the cache). */
  readonly stagesEnded: number;
}

/** How many stages, from the first, two points share. */
export function sharedStages(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/** Whether a point must wait: a running point computes a stage the two share. */
export function blocked(point: Scheduled, running: readonly Running[]): boolean {
  return running.some((r) => r.stagesEnded < sharedStages(point.keys, r.keys));
}

/** The index in `pending` (in the sweep's order) of the point to start next, or undefined when all must wait. */
export function nextPoint(pending: readonly Scheduled[], running: readonly Running[]): number | undefined {
  const index = pending.findIndex((point) => !blocked(point, running));
  return index < 0 ? undefined : index;
}
