/**
 * A checked batch to the ops' ragged layout (runtime/ops/batch.ts): responses tokenized with
 * the plan's tokenizer, split into steps at the separator token ("\n", ALGORITHMS.md's
 * introduction) unless the batch gives `step_ends`, packed group by group.
 */
import { checkRollouts, splitSteps, type Rollouts } from "../ops/batch.js";
import { TokenizerError, type Tokenizer } from "../tokenizer.js";
import { BatchError, responsePath, type RewardBatch, type BatchResponse } from "./batch.js";

export interface PackedResponse {
  readonly group: number;
  /** Index within the group. */
  readonly index: number;
  /** Its JSON path, for error messages. */
  readonly path: string;
  /** The group's prompt and answer, for scorers. */
  readonly prompt: string | null;
  readonly answer: string | null;
  readonly text: string;
  readonly tokens: readonly number[];
  /** Each step's last token, relative to the response. */
  readonly stepEnds: readonly number[];
  readonly input: BatchResponse;
}

export interface PackedBatch {
  /** Row order: group by group. */
  readonly responses: readonly PackedResponse[];
  /** Steps as split or given: what process rewards are per. */
  readonly rollouts: Rollouts;
}

export function packBatch(batch: RewardBatch, tokenizer: Tokenizer): PackedBatch {
  const responses = batch.groups.flatMap((group, g) => group.responses.map((response, i) => ({ ...packResponse(response, g, i, tokenizer), prompt: group.prompt, answer: group.answer })));
  const groupSize = batch.groups[0].responses.length;
  const n = responses.length;
  const tokenOffsets = new Int32Array(n + 1);
  const stepOffsets = new Int32Array(n + 1);
  responses.forEach((r, i) => {
    tokenOffsets[i + 1] = tokenOffsets[i] + r.tokens.length;
    stepOffsets[i + 1] = stepOffsets[i] + r.stepEnds.length;
  });
  const stepEnds = new Int32Array(stepOffsets[n]);
  responses.forEach((r, i) => r.stepEnds.forEach((end, k) => (stepEnds[stepOffsets[i] + k] = tokenOffsets[i] + end)));
  const rollouts: Rollouts = {
    groups: batch.groups.length,
    groupSize,
    tokenOffsets,
    // The batch has no mask: every token of a response is the policy's own.
    mask: new Uint8Array(tokenOffsets[n]).fill(1),
    stepOffsets,
    stepEnds,
    kept: new Uint8Array(n).fill(1),
  };
  checkRollouts(rollouts);
  return { responses, rollouts };
}

/** The same rows with one step per token: how a token reward is credited (ALGORITHMS.md §0 step 1). */
export function tokenSteps(r: Rollouts): Rollouts {
  const stepEnds = new Int32Array(r.mask.length);
  for (let t = 0; t < stepEnds.length; t++) stepEnds[t] = t;
  return { ...r, stepOffsets: r.tokenOffsets, stepEnds };
}

function packResponse(response: BatchResponse, group: number, index: number, tokenizer: Tokenizer): Omit<PackedResponse, "prompt" | "answer"> {
  const path = responsePath(group, index);
  let tokens: readonly number[];
  let text: string;
  try {
    if (response.text !== null) {
      text = response.text;
      tokens = tokenizer.encode(text);
    } else {
      tokens = response.tokens!;
      text = tokenizer.decode(tokens);
    }
  } catch (error) {
    if (error instanceof TokenizerError) throw new BatchError(`${path}.${response.text !== null ? "text" : "tokens"}: ${error.message}`);
    throw error;
  }
  const stepEnds = response.stepEnds ?? Array.from(splitSteps(tokens, tokenizer.separator ?? -1));
  if (response.stepEnds !== null) checkStepEnds(response.stepEnds, tokens.length, `${path}.step_ends`);
  for (const key of ["logprobs", "refLogprobs", "entropy"] as const) {
    const values = response[key];
    if (values !== null && values.length !== tokens.length) {
      const name = key === "refLogprobs" ? "ref_logprobs" : key;
      throw new BatchError(`${path}.${name}: ${values.length} values, but the response has ${tokens.length} tokens (one value per token)`);
    }
  }
  return { group, index, path, text, tokens, stepEnds, input: response };
}

// Steps partition the response's tokens (runtime/ops/batch.ts), so the ends increase and the
// last one is the last token.
function checkStepEnds(ends: readonly number[], length: number, path: string): void {
  if (length === 0) {
    if (ends.length > 0) throw new BatchError(`${path}: the response is empty, so it has no step; give []`);
    return;
  }
  let previous = -1;
  for (const [k, end] of ends.entries()) {
    if (end <= previous || end >= length) {
      throw new BatchError(`${path}[${k}]: ${end} is not a token index after ${previous} and below ${length} (the response's length); step ends increase`);
    }
    previous = end;
  }
  if (previous !== length - 1) {
    throw new BatchError(`${path}: the last step must end at the last token, ${length - 1} (steps cover the whole response)`);
  }
}
