/**
 * The reward graph's input: one step's responses in the ops' ragged layout
 * (runtime/ops/batch.ts), with what reward sources score them on. An RL step and an eval
 * block pack the responses they sampled (`packSampled`); `roux rewards` packs its batch
 * (pack-batch.ts `packBatch`). Either way the graph reads the same typed arrays, so an RL step does
 * not go through the batch's JSON shape.
 */
import type { Granularity } from "../../plan/plan.js";
import { checkRollouts, rowCount, splitSteps, type Rollouts } from "../ops/batch.js";
import type { ScoringSample } from "../rewards/source.js";
import type { Tokenizer } from "../tokenizer.js";

/** A response as reward sources score it; the reward graph always has its tokens. */
export interface RolloutSample extends ScoringSample {
  readonly tokens: readonly number[];
}

/** Values a batch gives for one response, by reward source name: a number (outcome) or one per step or token. */
export type GivenRewards = ReadonlyMap<string, number | readonly number[]>;

export interface PackedRollouts {
  /** Rows group by group; steps as split at the separator or as the batch gives them; every token counts. */
  readonly rollouts: Rollouts;
  /** Per row: the response, its example's prompt and answer, its steps (relative to the response). */
  readonly samples: readonly RolloutSample[];
  /** Per row, when the batch gives rewards: these replace scoring for that response (`roux rewards`). */
  readonly given?: readonly GivenRewards[];
  /** Per flat token, when known for every row: the policy's entropy (EMPG, the entropy metric). */
  readonly entropy?: Float32Array;
  /** Per flat token, when known for every row: log-probabilities under the policy and the KL reference (the KL metric). */
  readonly logprobs?: Float32Array;
  readonly refLogprobs?: Float32Array;
}

/** A sampled response (without its end-of-sequence token) and its example. */
export interface SampledResponse {
  readonly prompt: string;
  readonly answer: string | null;
  readonly tokens: readonly number[];
}

/**
 * Sampled responses, rows group by group: decoded for scorers, split into steps at the
 * tokenizer's separator (docs/algorithms.md "Notation"). `entropy`, when given, holds one value
 * per token of each response.
 */
export function packSampled(
  groupSize: number,
  responses: readonly SampledResponse[],
  tokenizer: Tokenizer,
  entropy?: readonly ArrayLike<number>[],
): PackedRollouts {
  const separator = tokenizer.separator ?? -1;
  const samples = responses.map(({ prompt, answer, tokens }) => ({
    prompt,
    answer,
    response: tokenizer.decode(tokens),
    tokens,
    stepEnds: Array.from(splitSteps(tokens, separator)),
  }));
  return { rollouts: packSamples(groupSize, samples), samples, entropy: entropy && perToken(entropy, samples) };
}

/** Samples (rows group by group) in the ops' layout: every token counts, every row kept. */
export function packSamples(groupSize: number, samples: readonly RolloutSample[]): Rollouts {
  const n = samples.length;
  const tokenOffsets = new Int32Array(n + 1);
  const stepOffsets = new Int32Array(n + 1);
  const stepEnds = new Int32Array(samples.reduce((steps, s) => steps + s.stepEnds.length, 0));
  let tokens = 0;
  let steps = 0;
  samples.forEach((sample, i) => {
    for (const end of sample.stepEnds) stepEnds[steps++] = tokens + end;
    tokens += sample.tokens.length;
    tokenOffsets[i + 1] = tokens;
    stepOffsets[i + 1] = steps;
  });
  const rollouts: Rollouts = {
    groups: n / groupSize,
    groupSize,
    tokenOffsets,
    // Rewards are computed on the response's own tokens only: every one counts.
    mask: new Uint8Array(tokens).fill(1),
    stepOffsets,
    stepEnds,
    kept: new Uint8Array(n).fill(1),
  };
  checkRollouts(rollouts);
  return rollouts;
}

/** One value per token of each sample, packed end to end as the samples' tokens are. */
export function perToken(values: readonly ArrayLike<number>[], samples: readonly RolloutSample[]): Float32Array {
  const out = new Float32Array(samples.reduce((tokens, s) => tokens + s.tokens.length, 0));
  let start = 0;
  samples.forEach((sample, i) => {
    const row = values[i];
    if (row === undefined || row.length !== sample.tokens.length) {
      throw new Error(`per-token values: response ${i} has ${sample.tokens.length} tokens and ${row?.length ?? "no"} values`);
    }
    out.set(row, start);
    start += row.length;
  });
  return out;
}

/** Where each row's values of a reward of `granularity` start in its flat array (n + 1 offsets); none for an outcome, one value per row. */
export function valueOffsets(granularity: Granularity, r: Pick<Rollouts, "stepOffsets" | "tokenOffsets">): Int32Array | undefined {
  return granularity === "outcome" ? undefined : granularity === "process" ? r.stepOffsets : r.tokenOffsets;
}

/** The length of a reward's flat array over the rows: one value per row, step or token. */
export function valueCount(granularity: Granularity, r: Rollouts): number {
  return granularity === "outcome" ? rowCount(r) : granularity === "process" ? r.stepEnds.length : r.mask.length;
}

/** The same rows with one step per token: how a token reward is credited (docs/algorithms.md §0 step 1). */
export function tokenSteps(r: Rollouts): Rollouts {
  const stepEnds = new Int32Array(r.mask.length);
  for (let t = 0; t < stepEnds.length; t++) stepEnds[t] = t;
  return { ...r, stepOffsets: r.tokenOffsets, stepEnds };
}
