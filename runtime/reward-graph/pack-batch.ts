/**
 * A checked batch (batch.ts) to the reward graph's input (rollouts.ts): responses tokenized
 * with the plan's tokenizer, split into steps at the separator token ("\n", docs/algorithms.md
 * "Notation") unless the batch gives `step_ends`, packed group by group. What depends on the
 * tokenizer (token ids, step ends, per-token values) is checked here, each mistake a BatchError
 * with its JSON path.
 */
import type { Plan } from "../../plan/plan.js";
import { splitSteps } from "../ops/batch.js";
import { createTokenizer, TokenizerError, type Tokenizer } from "../tokenizer.js";
import { BATCH_MAX_TOKENS, responsePath, type BatchGroup, type BatchResponse, type RewardBatch } from "./batch.js";
import { BatchError, RewardGraphError } from "./errors.js";
import { packSamples, perToken, type PackedRollouts, type RolloutSample } from "./rollouts.js";

/** The tokenizer a batch's text is read with: the policy's. */
export function batchTokenizer(plan: Plan): Tokenizer {
  if (plan.policy.kind !== "transformer") {
    throw new RewardGraphError(`the policy \`${plan.policy.name}\` is a hub model (\`${plan.policy.hub_name}\`), whose tokenizer the runtime does not have`);
  }
  return createTokenizer(plan.policy.tokenizer);
}

export function packBatch(batch: RewardBatch, tokenizer: Tokenizer): PackedRollouts {
  const responses = batch.groups.flatMap((group, g) => group.responses.map((response, i) => ({ response, path: responsePath(g, i), group })));
  let tokens = 0;
  const samples = responses.map(({ response, path, group }) => {
    const sample = sampleOf(response, group, path, tokenizer);
    tokens += sample.tokens.length;
    if (tokens > BATCH_MAX_TOKENS) {
      throw new BatchError(
        `${path}: the responses so far have ${tokens} tokens, more than the ${BATCH_MAX_TOKENS} a batch may have; give one step's responses at a time`,
      );
    }
    return sample;
  });
  const inputs = responses.map(({ response, path }) => ({ ...response, path }));
  return {
    rollouts: packSamples(samples.length / batch.groups.length, samples),
    samples,
    given: responses.map(({ response }) => response.rewards),
    entropy: perTokenInput(inputs, "entropy", samples),
    logprobs: perTokenInput(inputs, "logprobs", samples),
    refLogprobs: perTokenInput(inputs, "refLogprobs", samples),
  };
}

function sampleOf(response: BatchResponse, group: BatchGroup, path: string, tokenizer: Tokenizer): RolloutSample {
  let tokens: readonly number[];
  let text: string;
  try {
    if (response.text !== null) {
      text = response.text;
      tokens = tokenizer.encode(text);
    } else {
      // readBatch gives exactly one of `text` and `tokens`.
      tokens = response.tokens ?? [];
      text = tokenizer.decode(tokens);
    }
  } catch (error) {
    if (error instanceof TokenizerError) throw new BatchError(`${path}.${response.text !== null ? "text" : "tokens"}: ${error.message}`);
    throw error;
  }
  const stepEnds = response.stepEnds ?? Array.from(splitSteps(tokens, tokenizer.separator ?? -1));
  if (response.stepEnds !== null) checkStepEnds(response.stepEnds, tokens.length, `${path}.step_ends`);
  for (const key of PER_TOKEN) {
    const values = response[key];
    if (values !== null && values.length !== tokens.length) {
      throw new BatchError(`${path}.${jsonKey(key)}: ${values.length} values, but the response has ${tokens.length} tokens (one value per token)`);
    }
  }
  return { prompt: group.prompt ?? "", answer: group.answer, response: text, tokens, stepEnds };
}

const PER_TOKEN = ["logprobs", "refLogprobs", "entropy"] as const;
type PerTokenKey = (typeof PER_TOKEN)[number];

function jsonKey(key: PerTokenKey): string {
  return key === "refLogprobs" ? "ref_logprobs" : key;
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

/** A per-token input given for every response, packed; undefined when no response gives it. */
function perTokenInput(
  responses: readonly (BatchResponse & { path: string })[],
  key: PerTokenKey,
  samples: readonly RolloutSample[],
): Float32Array | undefined {
  const given: (readonly number[])[] = [];
  let lacking: { path: string } | undefined;
  for (const response of responses) {
    const values = response[key];
    if (values === null) lacking ??= response;
    else given.push(values);
  }
  if (given.length === 0) return undefined;
  if (lacking !== undefined) {
    throw new BatchError(`${lacking.path}: \`${jsonKey(key)}\` is given for some responses but not this one; give it for every response or none`);
  }
  return perToken(given, samples);
}
