/**
 * One run as `roux compare` shows it: its status, the table's figures and the curves.
 *   final acc / best acc   the accuracy (plan/eval-accuracy.ts) of the last eval / the best of all
 *                          evals, at the eval's temperature
 *   gain                   final acc minus the accuracy of the first stage's last eval: what the
 *                          later stages added to (say) an SFT warm-up. Runs of one recipe over
 *                          seeds differ most in their warm-up, so the gain is the paired measure.
 *   greedy, sampled, pass@k the last eval's accuracy figures (docs/algorithms.md §10): greedy
 *                          accuracy, accuracy of the answers sampled at its temperature, pass@k
 *                          over its k samples; each with its standard error over the problems
 *   steps/resp, tokens/resp the last eval's means over its answers at its temperature
 *   hacked steps           hacked.ts, on the last eval's answers at its temperature
 *   wall                   wall.ts
 * A figure the run cannot give (no evals, an eval from before answers were recorded) is null.
 */
import type { EvalEvent, RunLog } from "../../runtime/record/read-run.js";
import { runState, type RunStatus } from "../../runtime/record/status.js";
import { accuracyLabel } from "../../plan/eval-accuracy.js";
import type { EvalAnswer } from "../../runtime/record/events.js";
import type { AccuracyFigures, MeanSe } from "../../runtime/record/eval-figures.js";
import { hackedFraction } from "./hacked.js";
import { curvesOf, StepAxis, type Curves, type StageMark } from "./series.js";
import { wallSeconds } from "./wall.js";

/**
 * A run's status in the table (cli/commands/compare.ts): every run with no run_end since its
 * latest start is `running`, killed or not; so is one with no start at all.
 */
export type Status = Exclude<RunStatus, "starting">;

export const FIGURES = [
  "final_acc",
  "best_acc",
  "gain",
  "greedy_acc",
  "sampled_acc",
  "pass_at_k",
  "steps_per_response",
  "tokens_per_response",
  "hacked_steps",
  "wall_seconds",
] as const;
export type Figure = (typeof FIGURES)[number];

export interface RunSummary {
  readonly label: string;
  readonly recipe: string;
  readonly status: Status;
  readonly figures: Record<Figure, number | null>;
  /** The standard errors over the eval's problems of the figures that have one. */
  readonly errors: Partial<Record<Figure, number | null>>;
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
  const lastLabel = last === undefined ? undefined : accuracyLabel(run.plan, Object.keys(last.values));
  const lastFigures = lastLabel === undefined ? undefined : last?.accuracy?.[lastLabel];
  const answers = run.lastAnswers === undefined ? undefined : atTemperature(run.lastAnswers, last?.temperature);
  const axis = new StepAxis(run.events);
  return {
    label: run.name,
    recipe: run.recipe,
    status: statusOf(run),
    figures: {
      final_acc: evals.at(-1)?.accuracy ?? null,
      best_acc: accuracies.length > 0 ? Math.max(...accuracies) : null,
      gain: gainOverFirstStage(run.plan.stages[0]?.name, evals),
      ...figuresOf(lastFigures, (f) => f.mean),
      steps_per_response: last?.steps_per_answer ?? null,
      tokens_per_response: last?.tokens_per_answer ?? null,
      hacked_steps: answers === undefined ? null : (hackedFraction(run.plan, answers) ?? null),
      wall_seconds: wallSeconds(run.events, run.metrics),
    },
    errors: figuresOf(lastFigures, (f) => f.se),
    curves: curvesOf(axis, run.metrics, evals),
    stageMarks: axis.marks,
  };
}

/** The last eval's accuracy figures, each as `pick` gives it; null where the eval has none. */
function figuresOf(
  figures: AccuracyFigures | undefined,
  pick: (figure: MeanSe) => number | null,
): Record<"greedy_acc" | "sampled_acc" | "pass_at_k", number | null> {
  const of = (figure: MeanSe | undefined) => (figure === undefined ? null : pick(figure));
  return { greedy_acc: of(figures?.greedy), sampled_acc: of(figures?.sampled), pass_at_k: of(figures?.pass_at_k) };
}

/**
 * The answers drawn at the eval's temperature, which its values are means over: an eval that
 * samples also answers greedily. An eval or answer without a temperature is greedy, as every
 * eval was before evals could sample.
 */
export function atTemperature(answers: readonly Partial<EvalAnswer>[], temperature: number | undefined): Partial<EvalAnswer>[] {
  return answers.filter((a) => (a.temperature ?? 0) === (temperature ?? 0));
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
