/**
 * One run as `roux compare` shows it: its status, the table's figures and the curves.
 *   final acc / best acc   the accuracy (accuracy.ts) of the last eval / the best of all evals
 *   gain                   final acc minus the accuracy of the first stage's last eval: what the
 *                          later stages added to (say) an SFT warm-up. Runs of one recipe over
 *                          seeds differ most in their warm-up, so the gain is the paired measure.
 *   steps/resp, tokens/resp the last eval's means over its answers
 *   hacked steps           hacked.ts, on the last eval's answers
 *   wall                   wall.ts
 * A figure the run cannot give (no evals, an eval from before answers were recorded) is null.
 */
import type { EvalEvent, RunLog } from "../../runtime/record/read-run.js";
import { runState, type RunStatus } from "../../runtime/record/status.js";
import { accuracyLabel } from "./accuracy.js";
import { hackedFraction } from "./hacked.js";
import { curvesOf, StepAxis, type Curves, type StageMark } from "./series.js";
import { wallSeconds } from "./wall.js";

/**
 * A run's status in the table (cli/commands/compare.ts): every run with no run_end since its
 * latest start is `running`, killed or not; so is one with no start at all.
 */
export type Status = Exclude<RunStatus, "starting">;

export const FIGURES = ["final_acc", "best_acc", "gain", "steps_per_response", "tokens_per_response", "hacked_steps", "wall_seconds"] as const;
export type Figure = (typeof FIGURES)[number];

export interface RunSummary {
  readonly label: string;
  readonly recipe: string;
  readonly status: Status;
  readonly figures: Record<Figure, number | null>;
  readonly curves: Curves;
  readonly stageMarks: readonly StageMark[];
}

export function summarise(run: RunLog): RunSummary {
  const evalEvents = run.events.filter((e): e is EvalEvent => e.event === "eval");
  const evals = evalEvents.map((e) => {
    const label = accuracyLabel(run.plan, Object.keys(e.values));
    return { stage: e.stage, step: e.step, accuracy: label === undefined ? undefined : e.values[label] };
  });
  const accuracies = evals.flatMap((e) => (e.accuracy === undefined ? [] : [e.accuracy]));
  const last = evalEvents.at(-1);
  const axis = new StepAxis(run.events);
  return {
    label: run.name,
    recipe: run.recipe,
    status: statusOf(run),
    figures: {
      final_acc: evals.at(-1)?.accuracy ?? null,
      best_acc: accuracies.length > 0 ? Math.max(...accuracies) : null,
      gain: gainOverFirstStage(run.plan.stages[0]?.name, evals),
      steps_per_response: last?.steps_per_answer ?? null,
      tokens_per_response: last?.tokens_per_answer ?? null,
      hacked_steps: run.lastAnswers === undefined ? null : (hackedFraction(run.plan, run.lastAnswers) ?? null),
      wall_seconds: wallSeconds(run.events, run.metrics),
    },
    curves: curvesOf(axis, run.metrics, evals),
    stageMarks: axis.marks,
  };
}

/** Null for a run whose evals are all in one stage, or whose first stage has none. */
function gainOverFirstStage(first: string | undefined, evals: readonly { stage: string; accuracy: number | undefined }[]): number | null {
  const last = evals.at(-1);
  if (first === undefined || last === undefined || last.stage === first || last.accuracy === undefined) return null;
  const warm = evals.filter((e) => e.stage === first).at(-1)?.accuracy;
  return warm === undefined ? null : last.accuracy - warm;
}

function statusOf(run: RunLog): Status {
  const { status } = runState(run.events);
  return status === "starting" ? "running" : status;
}
