/**
 * The lab's finished runs read back for its tables: each run's recipe, arm and seed (from its
 * folder's name under the lab's OUT, `runName`), the warm-up's last eval it started from, its
 * own last eval, the seconds of its last stage, and how many of the steps the learned PRM likes
 * step_check rejects at that eval (cli/compare/hacked.ts).
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { hackedFraction } from "../cli/compare/hacked.js";
import { atTemperature } from "../cli/compare/summary.js";
import { evalAccuracy } from "../plan/eval-accuracy.js";
import { type ProblemScores, problemScores } from "../runtime/record/eval-figures.js";
import { type EvalEvent, readRun } from "../runtime/record/read-run.js";

/** A method's run, its null control, the equal-compute SFT continuation, or the warm-up. */
export type Arm = "method" | "control" | "sft" | "warmup";

/** The folder under OUT of one run of the lab: `grpo-s17`, `grpo-control-s17`. */
export function runName(recipe: string, arm: Arm, seed: number): string {
  return arm === "control" ? `${recipe}-control-s${seed}` : `${recipe}-s${seed}`;
}

export interface Result {
  readonly recipe: string;
  readonly arm: Arm;
  readonly seed: number;
  /** The warm-up's last eval and the last stage's, and the last stage's seconds. */
  readonly start: EvalEvent;
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

export const METRICS = [
  ["sampled", "sampled accuracy at the training temperature"],
  ["greedy", "greedy accuracy"],
  ["pass_at_k", "pass@k"],
] as const;
export type Metric = (typeof METRICS)[number][0];

/** The finished runs under `out` of the recipes named, the warm-up's own runs left out. */
export async function readResults(out: string, recipes: readonly string[], warmup: string): Promise<Result[]> {
  const results: Result[] = [];
  for (const folder of (await fs.readdir(out)).sort()) {
    const match = /^(.+?)(-control)?-s(\d+)$/.exec(folder);
    if (match === null || match[1] === undefined || match[1] === warmup || !recipes.includes(match[1])) continue;
    for (const run of await fs.readdir(path.join(out, folder))) {
      const log = await readRun(path.join(out, folder, run), out);
      if (!log.events.some((e) => e.event === "run_end" && e.status === "done")) continue;
      const evals = log.events.filter((e): e is EvalEvent => e.event === "eval");
      const first = log.plan.stages[0]?.name;
      const last = log.plan.stages.at(-1)?.name;
      const start = evals.filter((e) => e.stage === first).at(-1);
      const end = evals.filter((e) => e.stage === last).at(-1);
      const stageEnd = log.events.filter((e) => e.event === "stage_end" && e.stage === last).at(-1);
      if (start === undefined || end === undefined || first === last) continue;
      const arm: Arm = match[2] !== undefined ? "control" : log.plan.stages.at(-1)?.kind === "sft" ? "sft" : "method";
      const seconds = stageEnd?.event === "stage_end" ? stageEnd.seconds : Number.NaN;
      const answers = log.lastAnswers;
      const hacked = answers === undefined ? undefined : hackedFraction(log.plan, atTemperature(answers, end.temperature));
      const source = evalAccuracy(log.plan, Object.keys(end.values))?.source;
      const settings = { temperature: end.temperature ?? 0, samples: end.samples ?? 1 };
      const scores = answers === undefined || source === undefined ? undefined : problemScores(answers, source, settings);
      const credit = log.plan.stages.at(-1)?.graph.find((node) => node.op === "Credit");
      const admitsControl = credit?.op === "Credit" && credit.credit.kind === "outcome";
      results.push({ recipe: match[1], arm, seed: Number(match[3]), start, end, seconds, hacked, scores, admitsControl, dir: path.join(out, folder, run) });
    }
  }
  return results;
}

/** The eval's figure for the binary outcome reward it reports accuracy for. */
export function accuracy(event: EvalEvent, metric: Metric): number {
  const figures = Object.values(event.accuracy ?? {})[0];
  return figures?.[metric]?.mean ?? Number.NaN;
}
