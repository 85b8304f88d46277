/**
 * An eval block (docs/language.md §5 `eval = { data, every, rewards, temperature }`) and `roux
 * eval`: the policy answers every prompt of the dataset once (greedy at temperature 0), each
 * reward expression is computed on the answers, and its mean over all its values (per
 * response for an outcome, per step for a process reward) is reported under its label.
 * Scoring failures count as the lowest value of the reward's range: an answer that a verifier
 * cannot read is not a right answer, and the failures are reported as a warning.
 *
 * The answers themselves come back too, each with its length and every reward source's values
 * for it: what a person reads to see how the policy answers, and what `roux compare` measures
 * across sources (the steps a learned PRM likes that the rule verifier rejects).
 */
import type { Eval, RewardSource } from "../../plan/plan.js";
import { leavesOf } from "../../plan/reward-expr.js";
import { rowSpan, type Rollouts } from "../ops/batch.js";
import { evaluate, type RewardValue } from "../reward-graph/expr.js";
import { rowValues } from "../reward-graph/responses.js";
import { packSampled, valueCount, valueOffsets, type RolloutSample, type SampledResponse } from "../reward-graph/rollouts.js";
import { examplesOf, type Session } from "./session.js";
import { streamRng } from "./seeds.js";
import type { EvalAnswer } from "../record/events.js";

export interface EvalResult {
  readonly data: string;
  readonly examples: number;
  readonly values: Record<string, number>;
  readonly tokensPerAnswer: number;
  readonly stepsPerAnswer: number;
  readonly answers: EvalAnswer[];
  readonly warnings: string[];
}

/** Prompts sampled per call of the sampler: bounds the KV cache's memory for a large dataset. */
const EVAL_CHUNK = 256;

export async function runEval(
  session: Session,
  block: Pick<Eval, "data" | "temperature" | "rewards">,
  seedIndex: { stage: number; step: number },
): Promise<EvalResult> {
  const { arch, tokenizer, plan } = session;
  const examples = examplesOf(session, block.data);
  const weights = session.engine.weights();
  const rng = streamRng(plan.settings.seed, seedIndex.stage, seedIndex.step, "eval");
  const responses: SampledResponse[] = [];
  for (let start = 0; start < examples.length; start += EVAL_CHUNK) {
    const chunk = examples.slice(start, start + EVAL_CHUNK);
    const sampled = await session.sampler.sample(
      weights,
      chunk.map((e) => e.promptIds),
      { temperature: block.temperature, topP: 1, maxTokens: arch.context, rng },
    );
    sampled.forEach((s, i) => {
      const example = chunk[i];
      if (example === undefined) throw new Error(`the sampler answered ${sampled.length} of ${chunk.length} prompts`);
      responses.push({ prompt: example.prompt, answer: example.answer, tokens: s.response.filter((id) => id !== arch.eos) });
    });
  }
  // Each answer its own group of one: an eval has no group statistics.
  const { rollouts, samples } = packSampled(1, responses, tokenizer);
  const warnings: string[] = [];
  const scored = new Map<string, RewardValue>();
  for (const name of new Set(block.rewards.flatMap((r) => leavesOf(r.expr).flatMap((leaf) => (leaf.op === "reward" ? [leaf.name] : []))))) {
    const source = plan.rewards.find((r) => r.name === name);
    if (source === undefined) throw new Error(`plan: eval reads reward \`${name}\`, which the plan does not declare`);
    scored.set(name, await scoreAll(session, source, samples, rollouts, warnings));
  }
  const context = {
    rollouts,
    value: (node: string): RewardValue => {
      throw new Error(`plan: an eval expression reads node \`${node}\``);
    },
    source: (name: string) => scored.get(name)!,
    nodeName: (name: string) => name,
    rowPath: (row: number) => `eval answer ${row + 1}`,
  };
  const values: Record<string, number> = {};
  for (const { label, expr } of block.rewards) {
    const value = evaluate(expr, context);
    values[label] = typeof value === "number" ? value : mean(value.values);
  }
  const answers = samples.map(
    (sample, i): EvalAnswer => ({
      prompt: sample.prompt,
      response: sample.response,
      tokens: sample.tokens.length,
      steps: sample.stepEnds.length,
      rewards: Object.fromEntries([...scored].map(([name, value]) => [name, Array.from(rowValues(value, rollouts, i))])),
    }),
  );
  const tokensPerAnswer = mean(Float32Array.from(answers, (a) => a.tokens));
  const stepsPerAnswer = mean(Float32Array.from(answers, (a) => a.steps));
  return { data: block.data, examples: examples.length, values, tokensPerAnswer, stepsPerAnswer, answers, warnings };
}

async function scoreAll(
  session: Session,
  source: RewardSource,
  samples: readonly RolloutSample[],
  rollouts: Rollouts,
  warnings: string[],
): Promise<RewardValue> {
  const offsets = valueOffsets(source.granularity, rollouts);
  const values = new Float32Array(valueCount(source.granularity, rollouts));
  const result = await session.scorers.get(source).score(samples);
  result.values.forEach((v, i) => {
    const [start] = offsets === undefined ? [i] : rowSpan(offsets, i);
    v.forEach((x, j) => {
      values[start + j] = Number.isFinite(x) ? x : source.range.lo;
    });
  });
  const [first] = result.failures;
  if (first !== undefined) {
    warnings.push(
      `eval: \`${source.name}\` could not score ${result.failures.length} of ${samples.length} answers ` +
        `(first, answer ${first.sample + 1}: ${first.reason}); they count as ${source.range.lo}`,
    );
  }
  return { granularity: source.granularity, values };
}

function mean(values: Float32Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length > 0 ? sum / values.length : 0;
}
