/**
 * What `roux compare` plots, on one x axis for the whole run: the global step, a stage's own
 * step plus the steps of the stages before it, in the order the run_start event lists them (a
 * resume lists them again, counted with the same data). Training curves come from
 * metrics.jsonl, eval accuracy from the eval events.
 */
import type { LoggedEvent } from "../../runtime/record/read-run.js";
import { runState } from "../../runtime/record/status.js";
import type { MetricsRecord } from "../../runtime/record/events.js";

export const METRICS = [
  { key: "accuracy", title: "eval accuracy", axis: "accuracy" },
  { key: "reward", title: "training reward", axis: "mean reward" },
  { key: "response_tokens", title: "response length", axis: "mean tokens" },
  { key: "steps_per_response", title: "steps per response", axis: "mean steps" },
] as const;

export type Metric = (typeof METRICS)[number]["key"];

export interface Point {
  readonly x: number;
  readonly y: number;
}

export type Curves = Record<Metric, Point[]>;

/** Where a stage after the first begins on the global step axis. */
export interface StageMark {
  readonly x: number;
  readonly stage: string;
}

export class StepAxis {
  private readonly offsets = new Map<string, number>();
  readonly marks: StageMark[] = [];

  constructor(events: readonly LoggedEvent[]) {
    let offset = 0;
    for (const stage of runState(events).stages) {
      if (offset > 0) this.marks.push({ x: offset, stage: stage.name });
      this.offsets.set(stage.name, offset);
      offset += stage.steps;
    }
  }

  /** Undefined for a stage the run does not list. */
  at(stage: string, step: number): number | undefined {
    const offset = this.offsets.get(stage);
    return offset === undefined ? undefined : offset + step;
  }
}

/**
 * The training curves, and eval accuracy from `accuracies` (one per eval event, undefined when
 * an eval has none). A position evaluated twice (a resumed run re-evaluates after its
 * checkpoint) keeps its last value.
 */
export function curvesOf(
  axis: StepAxis,
  metrics: readonly MetricsRecord[],
  evals: readonly { stage: string; step: number; accuracy: number | undefined }[],
): Curves {
  const curves = Object.fromEntries(METRICS.map((m) => [m.key, new Map<number, number>()])) as Record<Metric, Map<number, number>>;
  const add = (metric: Metric, stage: string, step: number, y: unknown) => {
    const x = axis.at(stage, step);
    if (x !== undefined && typeof y === "number" && Number.isFinite(y)) curves[metric].set(x, y);
  };
  for (const e of evals) add("accuracy", e.stage, e.step, e.accuracy);
  for (const record of metrics) {
    // Every metric but accuracy is a metrics.jsonl field of the same name.
    for (const { key } of METRICS) if (key !== "accuracy") add(key, record.stage, record.step, record[key]);
  }
  return Object.fromEntries(METRICS.map((m) => [m.key, [...curves[m.key]].map(([x, y]) => ({ x, y })).sort((a, b) => a.x - b.x)])) as Curves;
}
