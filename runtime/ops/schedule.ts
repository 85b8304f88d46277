// Schedules over the stage's global step s (durations already converted to steps), evaluated
// from the Plan's data. Each one holds its end value from `over` (or warmup + decay) on, and a
// zero-length schedule is its end value from step 0: no division by zero anywhere.

export type Schedule =
  | number
  | { readonly kind: "linear"; readonly from: number; readonly to: number; readonly over: number }
  | { readonly kind: "cosine"; readonly from: number; readonly to: number; readonly over: number }
  | {
      readonly kind: "warmup_cosine";
      readonly peak: number;
      readonly valley: number;
      readonly warmup: number;
      readonly decay: number;
    };

/** `linear(a -> b, over)`: a + (b - a) s / over, then b. docs/language.md §5 "Schedules". */
export function linearSchedule(from: number, to: number, over: number, step: number): number {
  requireStep(step);
  return step >= over ? to : from + ((to - from) * step) / over;
}

/**
 * `cosine(a -> b, over)`: b + (a - b)(1 + cos(pi s / over)) / 2, then b; half a cosine period,
 * as in Loshchilov & Hutter 2017, "SGDR", eq. 5 without restarts. docs/language.md §5.
 */
export function cosineSchedule(from: number, to: number, over: number, step: number): number {
  requireStep(step);
  return step >= over ? to : to + ((from - to) * (1 + Math.cos((Math.PI * step) / over))) / 2;
}

/**
 * CHORD's mu: s < W: (s / W) peak (from 0); W <= s < W + D: valley + (peak - valley)
 * (1 + cos(pi (s - W) / D)) / 2; s >= W + D: valley. W = D = 0 is a constant valley. Zhang et
 * al. 2025, "On-Policy RL Meets Off-Policy Experts: Harmonizing Supervised Fine-Tuning and
 * Reinforcement Learning via Dynamic Weighting" (CHORD), the mu schedule. docs/algorithms.md §2.
 */
export function warmupCosine(peak: number, valley: number, warmup: number, decay: number, step: number): number {
  requireStep(step);
  return step < warmup ? (step / warmup) * peak : cosineSchedule(peak, valley, decay, step - warmup);
}

/** The value of any schedule at `step`. docs/language.md §5 "Schedules", docs/algorithms.md §2. */
export function scheduleAt(schedule: Schedule, step: number): number {
  if (typeof schedule === "number") return schedule;
  switch (schedule.kind) {
    case "linear":
      return linearSchedule(schedule.from, schedule.to, schedule.over, step);
    case "cosine":
      return cosineSchedule(schedule.from, schedule.to, schedule.over, step);
    case "warmup_cosine":
      return warmupCosine(schedule.peak, schedule.valley, schedule.warmup, schedule.decay, step);
  }
}

function requireStep(step: number): void {
  if (!(step >= 0) || !Number.isFinite(step)) {
    throw new Error(`schedule: the step must be a finite number >= 0, got ${step}`);
  }
}
