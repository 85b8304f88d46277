/**
 * `js(path, export) { range }` (docs/language.md §5): a user's function scores each response,
 * in a worker process (js-worker.ts) with a time limit per call and a cap on its memory.
 *
 * The function is called as `f(sample)` with
 *   { prompt: string, answer: string | null, response: string,
 *     steps: string[],          // the response split into steps (text-steps.ts)
 *     tokens: number[] | null } // the response's token ids, when the caller has them
 * and returns a number, or an array (or typed array) of numbers, or a promise of either, which
 * is awaited within the time limit. An outcome source returns one number (or an array of one);
 * a process source an array with one number per step (`steps.length`); a token source one per
 * token. Every value must be finite and inside the declared `range` (for a binary source, one
 * of its two ends).
 *
 * One worker per scorer, reused across batches; a batch's samples are sent to it at once and
 * scored one after the other. A function that throws, returns the wrong thing, or times out
 * fails that sample, with the reason; a timeout or a crash (the worker exiting, killed by a
 * signal, going over its memory cap) ends the worker and the next sample starts a new one. A
 * module that does not load fails every remaining sample of the batch with the load error; the
 * next batch tries again. `score` never rejects because of the user's code; it rejects only
 * when called after `close`.
 */
import { basename } from "node:path";
import type { RewardSource as PlanRewardSource } from "../../plan/plan.js";
import { STEP_SEPARATOR } from "../tokenizer.js";
import type { JsSample } from "./js-protocol.js";
import { JsWorker, type CallOutcome } from "./js-worker.js";
import { describeCount, expectedCount, ResultBuilder, type Granularity } from "./result.js";
import type { RewardScorer, ScoreResult, ScoringSample } from "./source.js";
import { splitStepText } from "./text-steps.js";

export interface JsScorerOptions {
  /** Per call, from when the call starts in the worker. Default 2000. */
  timeLimitMs?: number;
  /** For importing the module when a worker starts. Default 10000. */
  loadTimeLimitMs?: number;
  /** The cap on the worker's resident memory in MiB: all of it, V8's heap and Buffers alike. Default 512. */
  memoryLimitMb?: number;
  /** What separates steps in the response's text. Default the runtime's, "\n". */
  separator?: string;
}

export const DEFAULT_TIME_LIMIT_MS = 2000;

type JsKind = Extract<PlanRewardSource["source"], { kind: "js" }>;

export function createJsScorer(source: PlanRewardSource, options: JsScorerOptions = {}): RewardScorer {
  if (source.source.kind !== "js") throw new Error(`reward source \`${source.name}\` (${source.source.kind}) is not a js(...) source`);
  return new JsScorer(source, source.source, options);
}

class JsScorer implements RewardScorer {
  private worker: JsWorker | null = null;
  private closed = false;
  /** score() calls run one after the other: one worker, one call at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly timeLimitMs: number;
  private readonly loadTimeLimitMs: number;
  private readonly memoryLimitMb: number;
  private readonly separator: string;
  private readonly name: string;

  constructor(
    readonly source: PlanRewardSource,
    private readonly kind: JsKind,
    options: JsScorerOptions,
  ) {
    this.timeLimitMs = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
    this.loadTimeLimitMs = options.loadTimeLimitMs ?? 10_000;
    this.memoryLimitMb = options.memoryLimitMb ?? 512;
    this.separator = options.separator ?? STEP_SEPARATOR;
    this.name = `"${kind.export}"`;
  }

  score(samples: readonly ScoringSample[]): Promise<ScoreResult> {
    if (this.closed) return Promise.reject(new Error(`reward source \`${this.source.name}\`: score() after close()`));
    const run = this.queue.then(() => this.scoreInOrder(samples));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private async scoreInOrder(samples: readonly ScoringSample[]): Promise<ScoreResult> {
    const granularity = this.source.granularity;
    const result = new ResultBuilder(granularity, samples);
    /** The samples still to score, by index; those that cannot be given to the function fail here. */
    let pending: { i: number; sample: ScoringSample; input: JsSample }[] = [];
    for (const [i, sample] of samples.entries()) {
      const input = this.prepare(sample);
      if (typeof input === "string") result.fail(i, input);
      else pending.push({ i, sample, input });
    }
    while (pending.length > 0) {
      if (this.closed) {
        for (const { i } of pending) result.fail(i, "the scorer was closed before this sample was scored");
        break;
      }
      const worker = await this.liveWorker();
      if ("error" in worker) {
        const reason = `could not load ${this.name} from ${basename(this.kind.path)}: ${worker.error}`;
        for (const { i } of pending) result.fail(i, reason);
        break;
      }
      const outcomes = await worker.callEach(
        pending.map(({ input }) => input),
        this.timeLimitMs,
      );
      const ended = outcomes.at(-1);
      if (ended?.kind === "timeout" || ended?.kind === "crashed") {
        // The worker is dead; the samples after this one start another.
        if (this.worker === worker) this.worker = null;
        await worker.terminate();
      }
      for (const [k, outcome] of outcomes.entries()) {
        const { i, sample } = pending[k] as (typeof pending)[number];
        const checked = this.check(outcome, granularity, sample);
        if (typeof checked === "string") result.fail(i, checked);
        else result.set(i, checked);
      }
      pending = pending.slice(outcomes.length);
    }
    return result.result();
  }

  private async liveWorker(): Promise<JsWorker | { error: string }> {
    if (this.worker !== null) return this.worker;
    const started = await JsWorker.start({
      path: this.kind.path,
      exportName: this.kind.export,
      loadTimeLimitMs: this.loadTimeLimitMs,
      memoryLimitMb: this.memoryLimitMb,
    });
    if ("error" in started) return started;
    if (this.closed) {
      await started.terminate();
      return { error: "the scorer was closed" };
    }
    this.worker = started;
    return started;
  }

  /** What the function receives, or why the sample cannot be given to it. */
  private prepare(sample: ScoringSample): JsSample | string {
    const steps = splitStepText(sample.response, this.separator);
    if (this.source.granularity === "process" && steps.length !== sample.stepEnds.length) {
      return (
        `the response's text has ${steps.length} steps (split on ${JSON.stringify(this.separator)}) but its tokens have ${sample.stepEnds.length}; ` +
        "a process reward needs both to agree"
      );
    }
    if (this.source.granularity === "token" && sample.tokens === null) {
      return "a token-level js reward needs the response's tokens, and the sample has none";
    }
    return {
      prompt: sample.prompt,
      answer: sample.answer,
      response: sample.response,
      steps,
      tokens: sample.tokens === null ? null : Array.from(sample.tokens),
    };
  }

  /** The values to keep, or why the sample failed. */
  private check(outcome: CallOutcome, granularity: Granularity, sample: ScoringSample): number[] | string {
    switch (outcome.kind) {
      case "timeout":
        return `${this.name} timed out after ${this.timeLimitMs} ms`;
      case "crashed":
        return `${outcome.reason} while running ${this.name}`;
      case "threw":
        return `${this.name} threw ${outcome.message}`;
      case "returned":
        return (
          `${this.name} returned ${outcome.description}${outcome.description === "undefined" ? " (a missing return?)" : ""}; ` +
          "a js reward returns a number or an array of numbers"
        );
      case "values":
        return checkValues(this.name, outcome.values, granularity, sample, this.source);
    }
  }
}

/** The function's numbers if they fit the source, or what is wrong with them. */
function checkValues(name: string, values: number[], granularity: Granularity, sample: ScoringSample, source: PlanRewardSource): number[] | string {
  const shown = values.length === 1 ? String(values[0]) : showList(values);
  const expected = expectedCount(granularity, sample);
  if (values.length !== expected) {
    const count = `${values.length} number${values.length === 1 ? "" : "s"}`;
    if (granularity === "outcome") return `${name} returned ${count} ${shown}; an outcome reward returns one number`;
    const unit = granularity === "process" ? "step" : "token";
    return (
      `${name} returned ${count} ${shown} for a response of ${describeCount(granularity, expected)}; ` +
      `a ${granularity} reward returns one number per ${unit}`
    );
  }
  const { lo, hi } = source.range;
  for (const [k, value] of values.entries()) {
    const at = values.length === 1 && granularity === "outcome" ? "" : ` at index ${k} of ${shown}`;
    if (!Number.isFinite(value)) return `${name} returned ${value}${at}`;
    if (value < lo || value > hi) return `${name} returned ${value}${at}, outside the reward's declared range ${lo}..${hi}`;
    if (source.binary && value !== lo && value !== hi) return `${name} returned ${value}${at}; the reward is binary (${lo} or ${hi})`;
  }
  return values;
}

function showList(values: readonly number[]): string {
  const head = values.slice(0, 8).map(String);
  return `[${head.join(", ")}${values.length > 8 ? `, ... (${values.length} in all)` : ""}]`;
}
