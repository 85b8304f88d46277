/**
 * A run directory read back whole, for `roux compare` and `roux runs`: run.json, plan.json,
 * events.jsonl, metrics.jsonl and the answers of the run's last eval. The run may still be going
 * or may have been killed, so only whole lines count: a torn last line is left out
 * (jsonl-log.ts), and so is a line that is not a record, with a warning. What cannot be read is
 * a RunDirectoryError naming the path as the user gave it.
 */
import { existsSync, promises as fs, statSync } from "node:fs";
import path from "node:path";
import type { Plan } from "../../plan/plan.js";
import type { EvalAnswer } from "./events.js";
import { isMetricsRecord, isRunEvent, type MetricsRecord, type RunEvent } from "./events.js";
import { describeFsError } from "../../plan/fs-error.js";
import { readPlanFile, RunDirectoryError } from "./plan-file.js";
import { readJsonl } from "./jsonl-log.js";
import { EVENTS_FILE, METRICS_FILE, PLAN_FILE, RUN_INFO_FILE } from "./layout.js";

type RecordedEval = Extract<RunEvent, { event: "eval" }>;
type AnswerFields = "tokens_per_answer" | "steps_per_answer" | "answers";

/** Runs from before evals recorded their answers have eval events without these fields. */
export type EvalEvent = Omit<RecordedEval, AnswerFields> & Partial<Pick<RecordedEval, AnswerFields>>;
export type LoggedEvent = Exclude<RunEvent, { event: "eval" }> | EvalEvent;

export interface RunLog {
  /** As the user named it, for messages. */
  readonly given: string;
  /** The directory's basename: the run's label. */
  readonly name: string;
  readonly recipe: string;
  readonly plan: Plan;
  /** In the order they were written. */
  readonly events: readonly LoggedEvent[];
  /** The last line of each (stage, step): a resumed run repeats the steps after its checkpoint. */
  readonly metrics: readonly MetricsRecord[];
  /** The last eval's answers; undefined when it names no file or the file is gone. */
  readonly lastAnswers: readonly Partial<EvalAnswer>[] | undefined;
  readonly warnings: readonly string[];
}

const REQUIRED = [RUN_INFO_FILE, PLAN_FILE, EVENTS_FILE];

/** The run directory `given` names, resolved against `cwd`; a path that is not one (or lacks `required`) is a RunDirectoryError. */
export function runDirectory(given: string, cwd: string, required: readonly string[] = REQUIRED): string {
  const dir = path.resolve(cwd, given);
  if (!existsSync(dir)) throw new RunDirectoryError(`${given} is not a run directory: it does not exist`);
  if (!statSync(dir).isDirectory()) throw new RunDirectoryError(`${given} is not a run directory: it is a file`);
  const missing = required.find((file) => !existsSync(path.join(dir, file)));
  if (missing !== undefined) throw new RunDirectoryError(`${given} is not a run directory: it has no ${missing}`);
  return dir;
}

export async function readRun(given: string, cwd: string): Promise<RunLog> {
  const dir = runDirectory(given, cwd);

  const warnings: string[] = [];
  const info = await readRunInfo(dir, given);
  const plan = await readPlanFile(path.join(dir, PLAN_FILE));
  const events: LoggedEvent[] = (await readRecords(dir, given, EVENTS_FILE, warnings)).filter(isRunEvent);
  const metrics = latestPerStep((await readRecords(dir, given, METRICS_FILE, warnings)).filter(isMetricsRecord));
  const lastEval = events.filter((e): e is EvalEvent => e.event === "eval").at(-1);
  let lastAnswers: Partial<EvalAnswer>[] | undefined;
  if (typeof lastEval?.answers === "string") {
    if (existsSync(path.join(dir, lastEval.answers))) lastAnswers = await readRecords(dir, given, lastEval.answers, warnings);
    else warnings.push(`${path.join(given, lastEval.answers)}, the last eval's answers, is missing`);
  }
  const recipe = typeof info.recipe === "string" ? info.recipe : plan.recipe.name;
  return { given, name: path.basename(dir), recipe, plan, events, metrics, lastAnswers, warnings };
}

async function readRunInfo(dir: string, given: string): Promise<Record<string, unknown>> {
  const shown = path.join(given, RUN_INFO_FILE);
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, RUN_INFO_FILE), "utf8");
  } catch (error) {
    throw new RunDirectoryError(`cannot read ${shown}: ${describeFsError(error)}`);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Reported below, like a value that is not an object.
  }
  throw new RunDirectoryError(`${shown} is not a JSON object`);
}

/** A JSONL file's whole records; a run killed before its first step has no metrics.jsonl yet. */
async function readRecords(dir: string, given: string, relative: string, warnings: string[]): Promise<Record<string, unknown>[]> {
  const file = path.join(dir, relative);
  if (!existsSync(file)) return [];
  let contents: Awaited<ReturnType<typeof readJsonl>>;
  try {
    contents = await readJsonl(file);
  } catch (error) {
    throw new RunDirectoryError(`cannot read ${path.join(given, relative)}: ${describeFsError(error)}`);
  }
  if (contents.badLines.length > 0) warnings.push(`${path.join(given, relative)}: skipped line ${contents.badLines.join(", ")}, not a JSON object`);
  return contents.records;
}

function latestPerStep(records: MetricsRecord[]): MetricsRecord[] {
  const latest = new Map<string, MetricsRecord>();
  for (const record of records) latest.set(`${record.stage}\u0000${record.step}`, record);
  return [...latest.values()];
}
