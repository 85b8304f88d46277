/**
 * What a run reports, as data: one record per line of events.jsonl and metrics.jsonl, and what
 * the CLI and the terminal UI render. They read these and never the runtime's internals.
 */
import type { AccuracyFigures } from "./eval-figures.js";

/** Where a run stood: `step` steps of stage number `stage` (in run order) were done. */
export interface Position {
  readonly stage: number;
  readonly stageName: string;
  readonly step: number;
}

/** Seconds since the epoch with millisecond precision, as every record's `time`. */
export function now(): number {
  return Date.now() / 1000;
}

export interface StageSummary {
  readonly name: string;
  readonly kind: "sft" | "rl";
  readonly steps: number;
}

/**
 * `pid` on run_start and resume is the process that writes the run from there on: a watcher
 * (`roux watch`, `roux runs`) tells a run that is still going from one whose process was
 * killed before it could write its run_end. Runs recorded before it was added have none.
 */
export type RunEvent =
  | { event: "run_start"; time: number; recipe: string; hash: string; dir: string; backend: string; sampler: string; stages: StageSummary[]; pid?: number }
  | { event: "resume"; time: number; from: Position; checkpoint: string; droppedMetrics: number; stages: StageSummary[]; pid?: number }
  | { event: "stage_start"; time: number; stage: string; kind: "sft" | "rl"; steps: number }
  | { event: "stage_end"; time: number; stage: string; steps: number; seconds: number }
  | {
      event: "eval";
      time: number;
      stage: string;
      step: number;
      data: string;
      examples: number;
      /** Each reward's mean over its values in the answers at `temperature`. */
      values: Record<string, number>;
      /**
       * The eval block's: the answers behind `values` were drawn at `temperature`, `samples` per
       * prompt. Then, per label that is a binary outcome reward (plan/eval-accuracy.ts), greedy
       * and sampled accuracy and pass@k, each a mean over the problems with its standard error
       * (docs/algorithms.md §10). Every eval writes the three; runs recorded before evals could
       * sample have none of them.
       */
      temperature?: number;
      samples?: number;
      accuracy?: Record<string, AccuracyFigures>;
      /** Means over the answers at `temperature` of their length in tokens and their number of steps. */
      tokens_per_answer: number;
      steps_per_answer: number;
      /** The answers file, relative to the run directory (run-dir.ts). */
      answers: string;
    }
  | { event: "checkpoint"; time: number; stage: string; step: number; file: string }
  | { event: "warning"; time: number; stage?: string; step?: number; message: string }
  | { event: "error"; time: number; stage?: string; step?: number; node?: string; message: string }
  | { event: "run_end"; time: number; status: "done" | "failed" | "stopped" }
  /**
   * The stage cache (runtime/stage-cache/README.md): a stage whose record and checkpoints were
   * copied from the entry `key` instead of trained; a wait for the stage another process (`pid`)
   * is computing; an entry not used, and removed, because it is not whole or not what its key says.
   */
  | { event: "stage_cached"; time: number; stage: string; key: string }
  | { event: "cache_wait"; time: number; stage: string; key: string; pid: number }
  | { event: "cache_rejected"; time: number; stage: string; key: string; reason: string };

const EVENT_NAMES: ReadonlySet<string> = new Set<RunEvent["event"]>([
  "run_start",
  "resume",
  "stage_start",
  "stage_end",
  "eval",
  "checkpoint",
  "warning",
  "error",
  "run_end",
  "stage_cached",
  "cache_wait",
  "cache_rejected",
]);

/** A line read back from events.jsonl that is an event this version knows (a reader skips others). */
export function isRunEvent(record: Record<string, unknown>): record is RunEvent & Record<string, unknown> {
  return typeof record.event === "string" && EVENT_NAMES.has(record.event) && typeof record.time === "number";
}

/** A line read back from metrics.jsonl with the fields every record has. */
export function isMetricsRecord(record: Record<string, unknown>): record is MetricsRecord {
  return typeof record.stage === "string" && typeof record.step === "number" && typeof record.time === "number";
}

/**
 * One line of metrics.jsonl: the stage, its step (1-based: the step just done), then the
 * fields of docs/algorithms.md §9 that apply to the stage. Wall-clock figures are under `time_*`
 * and `*_tok_s` keys, so comparing two runs means leaving those out (`deterministicFields`).
 */
export type MetricsRecord = { stage: string; step: number; time: number } & Record<string, number | string>;

/** The fields of a metrics record that do not depend on the clock. */
export function deterministicFields(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => key !== "time" && !key.startsWith("time_") && !key.endsWith("tok_s")));
}

/**
 * One line of an eval's answers file (runtime/record/layout.ts): what the policy answered and how
 * it scored. An eval that samples has k answers to each problem at its temperature and one
 * greedy answer (temperature 0).
 */
export interface EvalAnswer {
  /** The prompt's position in the eval data, from 0: the answers to one problem share it. */
  readonly problem: number;
  /** What the answer was drawn at; 0 is greedy. */
  readonly temperature: number;
  readonly prompt: string;
  readonly response: string;
  readonly tokens: number;
  readonly steps: number;
  /** Per reward source the eval scored: one value per step (process), per token, or one (outcome). */
  readonly rewards: Record<string, number[]>;
}
