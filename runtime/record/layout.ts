/**
 * A run's directory, `OUT/<recipe>-<YYYYMMDD-HHMMSS>/`, by name: the writer (runtime/run/run-dir.ts,
 * and cli/run/own-run.ts for output.log) and every reader take the names from here.
 *
 *   recipe/<file>        the recipe source as given (with what it imports, when the caller passes them)
 *   plan.json            the plan the run executes: `roux resume` reads nothing else
 *   run.json             recipe name, hash, the run's id (what its checkpoints are stamped with), when it started
 *   metrics.jsonl        one line per step (runtime/record/events.ts, MetricsRecord)
 *   events.jsonl         stage start and end, evals, checkpoints, warnings, errors
 *   evals/<stage>-<step>-<data>.jsonl an eval's answers, one per line, with their problem, temperature and reward values
 *   ckpt/<stage>-<step>.ckpt, ckpt/LATEST   checkpoints, and the name of the newest
 *   ckpt/ref-<stage>.ckpt                    the policy as it was after a stage (KL references)
 *   output.log           what the run's own process printed, when `roux run` started one
 */
import path from "node:path";

export const RECIPE_DIR = "recipe";
export const PLAN_FILE = "plan.json";
export const RUN_INFO_FILE = "run.json";
export const METRICS_FILE = "metrics.jsonl";
export const EVENTS_FILE = "events.jsonl";
export const CHECKPOINT_DIR = "ckpt";
/** In CHECKPOINT_DIR: the name of the newest checkpoint. */
export const LATEST_FILE = "LATEST";
export const OUTPUT_LOG = "output.log";

/** Steps padded so that a folder listing sorts a stage's files in step order. */
function stepPart(step: number): string {
  return String(step).padStart(6, "0");
}

/** An eval's answers, relative to the run directory, as the eval event names them. */
export function evalAnswersFile(stage: string, step: number, data: string): string {
  return path.join("evals", `${stage}-${stepPart(step)}-${data}.jsonl`);
}

/** A checkpoint's name in CHECKPOINT_DIR. */
export function checkpointName(stage: string, step: number): string {
  return `${stage}-${stepPart(step)}.ckpt`;
}

/** The name in CHECKPOINT_DIR of the policy as it was after `stage`. */
export function referenceName(stage: string): string {
  return `ref-${stage}.ckpt`;
}
