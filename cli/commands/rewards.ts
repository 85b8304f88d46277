/**
 * `roux rewards --stage NAME --batch BATCH.json [--step N] [--set PATH=VALUE]... RECIPE`: runs an RL
 * stage's reward, filter, credit and advantage graph on a batch of responses and prints, as
 * JSON, what each response got (kept, step ends, rewards, returns and advantages per token),
 * which groups carry no signal, and the step's metrics. How a user debugs a reward pipeline, and how the runtime is checked
 * against hand-computed values (test/rewards/). The batch's format is documented in
 * runtime/reward-graph/batch.ts.
 */
import type { Plan, RlStage } from "../../plan/plan.js";
import { readRegularFile } from "../../plan/regular-file.js";
import { BATCH_MAX_BYTES, BATCH_MAX_RESPONSES, BATCH_MAX_TOKENS, readBatch, type RewardBatch } from "../../runtime/reward-graph/batch.js";
import { BatchError, RewardGraphError } from "../../runtime/reward-graph/errors.js";
import { batchTokenizer, packBatch } from "../../runtime/reward-graph/pack-batch.js";
import { groupResponses, type ResponseReward } from "../../runtime/reward-graph/responses.js";
import { rlStages, runRewardGraph, type Moments, type RewardGraphResult } from "../../runtime/reward-graph/run.js";
import { readStageGraph } from "../../runtime/reward-graph/stage-graph.js";
import { createScorer } from "../../runtime/rewards/create-scorer.js";
import { streamRng } from "../../runtime/run/seeds.js";
import type { Command } from "../command.js";
import { SET_OPTION } from "../load-recipe.js";
import { planRecipe } from "../plan-recipe.js";
import { CommandError, UsageError } from "../usage-error.js";

const USAGE = "--stage NAME --batch BATCH.json [--step N] [--set PATH=VALUE]... RECIPE";

export const command: Command = {
  usage: USAGE,
  options: { stage: { type: "string" }, batch: { type: "string" }, step: { type: "string", default: "0" }, ...SET_OPTION },
  details: [
    "Each group says whether it is `zero_signal`: its responses' sequence scores all agree, so a group",
    "baseline gives them no advantage (docs/algorithms.md §1.10); `metrics.zero_signal_frac` is their",
    "share. These are the groups a stage's `dynamic_sampling` would drop. This command cannot refill",
    "the batch as a run does: it has no policy to sample more responses from, only the batch it is given.",
    `A batch is one step's: at most ${BATCH_MAX_BYTES} bytes, ${BATCH_MAX_RESPONSES} responses and ${BATCH_MAX_TOKENS} tokens,`,
    "held whole because the graph's statistics (whiten, the metrics) are over the whole batch; the output is written a group at a time.",
  ].join("\n"),
  async run(args, io) {
    const stageName = args.values.stage as string | undefined;
    const batchFile = args.values.batch as string | undefined;
    if (stageName === undefined || batchFile === undefined) {
      throw new UsageError(`give ${stageName === undefined ? "--stage NAME" : "--batch BATCH.json"}\nusage: roux rewards ${USAGE}`);
    }
    const step = parseStep(String(args.values.step));
    const plan = await planRecipe("rewards", USAGE, args, io);
    if (plan === undefined) return 1;
    const stage = findStage(plan, stageName);
    const batch = await loadBatch(batchFile);
    let result: RewardGraphResult;
    try {
      const tokenizer = batchTokenizer(plan);
      const graph = readStageGraph(plan, stage);
      // A null control's permutation is the one the run draws at this step (docs/algorithms.md §1.11).
      const controlRng = streamRng(plan.settings.seed, plan.stages.indexOf(stage), step, "control");
      result = await runRewardGraph(graph, packBatch(batch, tokenizer), { step, createScorer, controlRng });
    } catch (error) {
      if (error instanceof BatchError) throw new CommandError(`${batchFile}: ${error.message}`);
      if (error instanceof RewardGraphError) throw new CommandError(error.message);
      throw error;
    }
    for (const warning of result.warnings) io.stderr.write(`warning: ${warning}\n`);
    await writeResult(result, io.stdout);
    return 0;
  },
};

function parseStep(text: string): number {
  const step = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(step)) throw new UsageError(`--step takes a step number (an integer >= 0), not \`${text}\``);
  return step;
}

function findStage(plan: Plan, name: string): RlStage {
  const rl = rlStages(plan);
  const names = rl.length > 0 ? `its RL stages: ${rl.map((s) => `\`${s.name}\``).join(", ")}` : "it has no RL stage";
  const stage = plan.stages.find((s) => s.name === name);
  if (stage === undefined) throw new CommandError(`the run has no stage \`${name}\`; ${names}`);
  if (stage.kind !== "rl") throw new CommandError(`stage \`${name}\` is an ${stage.kind} stage, which has no rewards; ${names}`);
  return stage;
}

async function loadBatch(file: string): Promise<RewardBatch> {
  const read = readRegularFile(file, BATCH_MAX_BYTES, "a batch (one step's responses)");
  if (!read.ok) throw new CommandError(read.missing ? `cannot read ${file}: no such file or directory` : read.reason);
  const text = new TextDecoder().decode(read.bytes);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CommandError(`${file}:${malformedJson(text, (error as Error).message)}`);
  }
  try {
    return readBatch(json);
  } catch (error) {
    if (error instanceof BatchError) throw new CommandError(`${file}: ${error.message}`);
    throw error;
  }
}

/**
 * `LINE:COLUMN: malformed JSON: WHAT` from JSON.parse's message. V8 gives a character offset
 * (`... in JSON at position 42`, with the line and column in newer versions) for most
 * mistakes, but not for an unexpected token (`Unexpected token 'x', "..." is not valid JSON`):
 * there the offset is found as the shortest prefix of the text that is not the start of a JSON
 * value. An input that ends too early is at its end.
 */
export function malformedJson(text: string, message: string): string {
  const match = /(?: in JSON)? at position (\d+)/.exec(message);
  const offset = match ? Number(match[1]) : /^Unexpected end/.test(message) ? text.length : firstBadOffset(text);
  const what = (match ? message.slice(0, match.index) : message.replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, ""))
    .replace(/\s*\(line \d+ column \d+\)$/, "")
    .trim();
  const before = text.slice(0, offset).split("\n");
  return `${before.length}:${(before.at(-1) ?? "").length + 1}: malformed JSON: ${what || "not JSON"}`;
}

// Binary search for the shortest prefix JSON.parse rejects for a reason other than running
// out of input (the error is then its last character). Every prefix of a good start is a good
// start, so the search is sound; it costs about log2(length) parses.
function firstBadOffset(text: string): number {
  const startsJson = (length: number): boolean => {
    const prefix = text.slice(0, length);
    try {
      JSON.parse(prefix);
      return true;
    } catch (error) {
      const message = (error as Error).message;
      const at = / at position (\d+)/.exec(message);
      return /^Unexpected end/.test(message) || (at !== null && Number(at[1]) >= prefix.length);
    }
  };
  let good = 0;
  let bad = text.length;
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    if (startsJson(middle)) good = middle;
    else bad = middle;
  }
  return bad - 1;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The output of `roux rewards`, keys in snake_case as the batch's: `formatJson` of `{groups,
 * metrics}`, written a group at a time, each write waiting for the stream to drain, so what is
 * held is one group's text and not the whole output (a batch's output is about six times its
 * size: every token gets a return and an advantage).
 */
async function writeResult(result: RewardGraphResult, out: NodeJS.WritableStream): Promise<void> {
  const { groups } = result.rollouts;
  await write(out, '{\n  "groups": [\n');
  for (let g = 0; g < groups; g++) await write(out, `    ${formatJson(groupJson(result, g), "    ")}${g + 1 < groups ? "," : ""}\n`);
  await write(out, `  ],\n  "metrics": ${formatJson(metricsJson(result), "  ")}\n}\n`);
}

function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (out.write(text)) return Promise.resolve();
  return new Promise((resolve) => out.once("drain", resolve));
}

function groupJson(result: RewardGraphResult, g: number): Json {
  return {
    zero_signal: result.zeroSignal[g] === 1,
    responses: groupResponses(result, g).map((r) => ({
      kept: r.kept,
      step_ends: [...r.stepEnds],
      rewards: Object.fromEntries([...r.rewards].map(([name, value]) => [name, rewardJson(value)])),
      reward: rewardJson(r.reward),
      returns: float32Json(r.returns),
      advantages: float32Json(r.advantages),
    })),
  };
}

function metricsJson(result: RewardGraphResult): Json {
  const m = result.metrics;
  const moments = (x: Moments): Json => ({ mean: x.mean, std: x.std });
  const metrics: { [key: string]: Json } = {
    step: m.step,
    rewards: Object.fromEntries([...m.rewards].map(([name, x]) => [name, moments(x)])),
    reward: moments(m.reward),
  };
  if (m.accuracy !== undefined) metrics.accuracy = m.accuracy;
  Object.assign(metrics, {
    zero_signal_frac: m.zeroSignalFrac,
    keep_ratio: m.keepRatio,
    mean_steps: m.meanSteps,
    mean_tokens: m.meanTokens,
    advantage_mean: m.advantageMean,
    advantage_std: m.advantageStd,
    single_row_groups: m.singleRowGroups,
  });
  if (m.kl !== undefined) metrics.kl = m.kl;
  if (m.entropy !== undefined) metrics.entropy = m.entropy;
  if (m.chordMu !== undefined) metrics.chord_mu = m.chordMu;
  if (m.mixWeight !== undefined) metrics.mix_weight = m.mixWeight;
  return metrics;
}

function rewardJson(value: ResponseReward): Json {
  return typeof value === "number" ? shortestFloat32(value) : float32Json(value);
}

function float32Json(values: Float32Array): Json {
  // A value repeats over a step's tokens, or a whole response's: each run is converted once.
  let last = Number.NaN;
  let shown = Number.NaN;
  return Array.from(values, (x) => {
    if (!Object.is(x, last)) [last, shown] = [x, shortestFloat32(x)];
    return shown;
  });
}

/**
 * The shortest decimal that reads back as the same float32: the runtime computes in float32,
 * so 0.3 is printed as 0.3, not as its double expansion 0.30000001192092896.
 */
export function shortestFloat32(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(x.toPrecision(digits));
    if (Math.fround(candidate) === x) return candidate;
  }
  return Number(x.toPrecision(9));
}

/** Two-space JSON with lists of numbers (per-token values) on one line, readable in a terminal. */
export function formatJson(value: Json, indent = ""): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.every((item) => item === null || typeof item !== "object")) return `[${value.map((item) => JSON.stringify(item)).join(", ")}]`;
    return `[\n${value.map((item) => inner + formatJson(item, inner)).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${formatJson(item, inner)}`).join(",\n")}\n${indent}}`;
}
