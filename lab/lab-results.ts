/**
 * The lab's finished runs read back from its sweep directory (cli/sweep/sweep-dir.ts) for its
 * tables: each point's run with its variant, its arm, its seed, its last eval, the seconds of its
 * last stage, and how many of the steps the learned PRM likes step_check rejects at that eval
 * (cli/compare/hacked.ts). What a run is comes from its plan, not from how its point is named.
 */
import { isDeepStrictEqual } from "node:util";
import { hackedFraction } from "../cli/compare/hacked.js";
import { atTemperature } from "../cli/compare/summary.js";
import { readSweepRecord, sweepRuns } from "../cli/sweep/sweep-dir.js";
import { evalAccuracy } from "../plan/eval-accuracy.js";
import type { Plan } from "../plan/plan.js";
import { type ProblemScores, problemScores } from "../runtime/record/eval-figures.js";
import { type EvalEvent, readRun } from "../runtime/record/read-run.js";

/** A method's run, its null control, the equal-compute SFT continuation, or a warm-up. */
export type Arm = "method" | "control" | "sft" | "warmup";

export interface Result {
  /**
   * The variant the run stands for in the tables: its point's, or for a null control the
   * variant of the method it controls (the point whose plan is the control's without `control`).
   */
  readonly variant: string;
  /** The point's name (the run's directory in the sweep). */
  readonly point: string;
  readonly arm: Arm;
  readonly seed: number;
  /** The last eval of the run's first stage (its warm-up, trained or taken from the stage cache) and of its last stage, and that stage's seconds. */
  readonly start: EvalEvent | undefined;
  readonly end: EvalEvent;
  readonly seconds: number;
  /** Of the steps the PRM scores >= 0.5 at the last eval, the fraction step_check rejects; undefined without both. */
  readonly hacked: number | undefined;
  /** The last eval's figures per test problem (runtime/record/eval-figures.ts); undefined without its answers. */
  readonly scores: ProblemScores | undefined;
  /** Whether its last stage could have a null control: its credit gives one advantage per response (E3108). */
  readonly admitsControl: boolean;
  readonly dir: string;
}

export interface SweepResults {
  readonly results: readonly Result[];
  /** The sweep's points, and those of them without a run that ended done. */
  readonly points: number;
  readonly unfinished: readonly string[];
}

export const METRICS = [
  ["sampled", "sampled accuracy at the training temperature"],
  ["greedy", "greedy accuracy"],
  ["pass_at_k", "pass@k"],
] as const;
export type Metric = (typeof METRICS)[number][0];

/** The finished runs of the sweep in `dir`, in the sweep's order. */
export async function readResults(dir: string): Promise<SweepResults> {
  const runs = await sweepRuns(dir);
  const finished: { result: Omit<Result, "variant">; variant: string; plan: Plan }[] = [];
  for (const { point, dir: run } of runs) {
    const log = await readRun(run, dir);
    const last = log.plan.stages.at(-1);
    const evals = log.events.filter((e): e is EvalEvent => e.event === "eval");
    const end = evals.filter((e) => e.stage === last?.name).at(-1);
    if (!log.events.some((e) => e.event === "run_end" && e.status === "done") || last === undefined || end === undefined) {
      continue;
    }
    const stageEnd = log.events.filter((e) => e.event === "stage_end" && e.stage === last.name).at(-1);
    const answers = log.lastAnswers;
    const source = evalAccuracy(log.plan, Object.keys(end.values))?.source;
    const settings = { temperature: end.temperature ?? 0, samples: end.samples ?? 1 };
    const credit = last.graph.find((node) => node.op === "Credit");
    const result = {
      point: point.name,
      arm: armOf(log.plan),
      seed: log.plan.settings.seed,
      start: evals.filter((e) => e.stage === log.plan.stages[0]?.name).at(-1),
      end,
      seconds: stageEnd?.event === "stage_end" ? stageEnd.seconds : Number.NaN,
      hacked: answers === undefined ? undefined : hackedFraction(log.plan, atTemperature(answers, end.temperature)),
      scores: answers === undefined || source === undefined ? undefined : problemScores(answers, source, settings),
      admitsControl: credit?.op === "Credit" && credit.credit.kind === "outcome",
      dir: run,
    };
    finished.push({ result, variant: point.variant, plan: log.plan });
  }
  const results = finished.flatMap(({ result, variant, plan }): Result[] => {
    if (result.arm !== "control") return [{ ...result, variant }];
    // A null control stands in its method's row; without its method's finished run it has none.
    const method = finished.find((m) => m.result.arm === "method" && isDeepStrictEqual(withoutControl(m.plan), withoutControl(plan)));
    return method === undefined ? [] : [{ ...result, variant: method.variant }];
  });
  const done = new Set(finished.map((f) => f.result.point));
  const { points } = await readSweepRecord(dir);
  return { results, points: points.length, unfinished: points.map((p) => p.name).filter((name) => !done.has(name)) };
}

/** A one-stage run is a warm-up; a last stage with shuffled advantages, a null control; a last SFT stage after another, the SFT continuation. */
function armOf(plan: Plan): Arm {
  const last = plan.stages.at(-1);
  if (plan.stages.length === 1) return "warmup";
  if (last?.graph.some((node) => node.op === "Advantage" && node.control !== undefined)) return "control";
  return last?.kind === "sft" ? "sft" : "method";
}

/** What a run computes, its null control's shuffling, its recipe's hash (which the override changes) and where it is written left out. */
function withoutControl(plan: Plan): unknown {
  const { out: _out, ...settings } = plan.settings;
  const stages = plan.stages.map((stage) => ({
    ...stage,
    graph: stage.graph.map((node) => (node.op === "Advantage" ? { ...node, control: undefined } : node)),
  }));
  return { ...plan, hash: undefined, settings, stages };
}

/** The eval's figure for the binary outcome reward it reports accuracy for. */
export function accuracy(event: EvalEvent, metric: Metric): number {
  const figures = Object.values(event.accuracy ?? {})[0];
  return figures?.[metric]?.mean ?? Number.NaN;
}
