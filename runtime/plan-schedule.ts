/**
 * A Plan's durations and schedules in the unit the ops count in, steps of the stage. A
 * duration in epochs needs the stage's steps per epoch (its dataset's size over its batch),
 * which only the runtime knows; `roux rewards` has no dataset, so there such a duration stays
 * unknown (undefined) and the caller says so.
 */
import type { Duration, Schedule as PlanSchedule } from "../plan/plan.js";
import type { Schedule } from "./ops/schedule.js";

/** How a stage turns epochs and samples into steps. */
export interface StageClock {
  readonly stepsPerEpoch: number;
  /** Examples per step, for durations in samples. */
  readonly batch: number;
}

/** Steps in `d`, or undefined when it is in epochs or samples and there is no clock. */
export function durationSteps(d: Duration, clock?: StageClock): number | undefined {
  switch (d.unit) {
    case "steps":
      return d.value;
    case "epochs":
      return clock && d.value * clock.stepsPerEpoch;
    case "samples":
      return clock && Math.ceil(d.value / clock.batch);
    case "tokens":
      return undefined;
  }
}

/** The plan's schedule with its durations in steps, or undefined when one cannot be converted. */
export function opsSchedule(s: PlanSchedule, clock?: StageClock): Schedule | undefined {
  const steps = (d: Duration) => durationSteps(d, clock);
  switch (s.schedule) {
    case "constant":
      return s.value;
    case "linear":
    case "cosine": {
      const over = steps(s.over);
      return over === undefined ? undefined : { kind: s.schedule, from: s.from, to: s.to, over };
    }
    case "warmup_cosine": {
      const warmup = steps(s.warmup);
      const decay = steps(s.decay);
      return warmup === undefined || decay === undefined ? undefined : { kind: "warmup_cosine", peak: s.peak, valley: s.valley, warmup, decay };
    }
  }
}
