/**
 * How fast the current stage goes, from the metrics records' own times (never the clock of the
 * reader, so a finished or killed run shows the pace it had): seconds per step since the first
 * record of the stage seen (the step it closes has no start time on record), and the time left
 * at that pace.
 */
import type { MetricsRecord } from "../runtime/record/events.js";

export interface Pace {
  /** The first record of its stage: the pace starts here. */
  readonly first: boolean;
  readonly secondsPerStep: number;
  readonly secondsLeft: number;
}

export class StagePace {
  private readonly starts = new Map<string, { time: number; step: number }>();

  observe(r: MetricsRecord, totalSteps: number): Pace {
    let start = this.starts.get(r.stage);
    const first = start === undefined;
    if (start === undefined) {
      start = { time: r.time, step: r.step };
      this.starts.set(r.stage, start);
    }
    const secondsPerStep = (r.time - start.time) / Math.max(1, r.step - start.step);
    return { first, secondsPerStep, secondsLeft: secondsPerStep * (totalSteps - r.step) };
  }

  /** A resumed run's first records start the pace again: the stretch before the kill is another pace. */
  restart(): void {
    this.starts.clear();
  }
}
