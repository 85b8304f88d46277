/**
 * An eval block (docs/language.md §5 `eval = { data, every, rewards, temperature, samples }`) and
 * `roux eval`: the policy answers every prompt of the dataset `samples` times at the block's
 * temperature (once, greedily, by default), each reward expression is computed on those answers,
 * and its mean over all its values (per response for an outcome, per step for a process reward)
 * is reported under its label. An eval that samples also answers every prompt greedily, so that
 * it reports, for each binary outcome reward, greedy and sampled accuracy and pass@k with their
 * standard errors over the problems (docs/algorithms.md §10). Scoring failures count as the
 * lowest value of the reward's range: an answer that a verifier cannot read is not a right
 * answer, and the failures are reported as a warning.
 *
 * The answers themselves come back too, each with its problem, temperature, length and every
 * reward source's values for it: what a person reads to see how the policy answers, and what
 * `roux compare` measures across sources (the steps a learned PRM likes that the rule verifier
 * rejects) and pairs across runs, problem by problem.
 */
import type { Eval, RewardSource } from "../../plan/plan.js";
import { accuracySource } from "../../plan/eval-accuracy.js";
import { leavesOf } from "../../plan/reward-expr.js";
import { rowSpan, type Rollouts } from "../ops/batch.js";
import type { Rng } from "../ops/rng.js";
import { evaluate, type RewardValue } from "../reward-graph/expr.js";
import { rowValues } from "../reward-graph/responses.js";
import { packSampled, valueCount, valueOffsets, type RolloutSample, type SampledResponse } from "../reward-graph/rollouts.js";
import type { TokenizedExample } from "./datasets.js";
import { examplesOf, type Session } from "./session.js";
import { streamRng } from "./seeds.js";
import type { EvalAnswer } from "../record/events.js";
import { accuracyFigures, problemScores, type AccuracyFigures } from "../record/eval-figures.js";

export interface EvalResult {
  readonly data: string;
  readonly examples: number;
  readonly temperature: number;
  readonly samples: number;
  /** Means over the answers at the block's temperature. */
  readonly values: Record<string, number>;
  readonly accuracy: Record<string, AccuracyFigures>;
  readonly tokensPerAnswer: number;
  readonly stepsPerAnswer: number;
  /** The greedy answers first when the eval samples, then those at its temperature. */
  readonly answers: EvalAnswer[];
  readonly warnings: string[];
}

export type EvalBlock = Pick<Eval, "data" | "temperature" | "samples" | "rewards">;

/** Prompts sampled per call of the sampler: bounds the KV cache's memory for a large dataset. */
const EVAL_CHUNK = 256;

export async function runEval(session: Session, block: EvalBlock, seedIndex: { stage: number; step: number }): Promise<EvalResult> {
  const examples = examplesOf(session, block.data);
  const rng = streamRng(session.plan.settings.seed, seedIndex.stage, seedIndex.step, "eval");
  const warnings: string[] = [];
  // A greedy answer draws nothing from the generator (runtime/sampler/choose-token.ts), so the
  // sampled answers are the ones an eval without the greedy pass would draw.
  const greedy = block.temperature > 0 ? await answerAll(session, block, examples, { temperature: 0, samples: 1, rng }, warnings) : undefined;
  const sampled = await answerAll(session, block, examples, { temperature: block.temperature, samples: block.samples, rng }, warnings);
  const answers = [...(greedy?.answers ?? []), ...sampled.answers];
  const accuracy: Record<string, AccuracyFigures> = {};
  for (const { label, expr } of block.rewards) {
    const source = accuracySource(session.plan, expr);
    const scores = source === undefined ? undefined : problemScores(answers, source, block);
    if (scores !== undefined) accuracy[label] = accuracyFigures(scores);
  }
  return {
    data: block.data,
    examples: examples.length,
    temperature: block.temperature,
    samples: block.samples,
    values: sampled.values,
    accuracy,
    tokensPerAnswer: mean(Float32Array.from(sampled.answers, (a) => a.tokens)),
    stepsPerAnswer: mean(Float32Array.from(sampled.answers, (a) => a.steps)),
    answers,
    warnings,
  };
}

interface Drawing {
  readonly temperature: number;
  readonly samples: number;
  readonly rng: Rng;
}

/** `samples` answers to each example at `temperature`, scored, with each reward's mean over them. */
async function answerAll(
  session: Session,
  block: EvalBlock,
  examples: readonly TokenizedExample[],
  drawing: Drawing,
  warnings: string[],
): Promise<{ answers: EvalAnswer[]; values: Record<string, number> }> {
  const { arch, tokenizer, plan } = session;
  const weights = session.engine.weights();
  // Each problem's answers are consecutive rows, and so consecutive lines of the answers file.
  const asked = examples.flatMap((example, problem) => Array.from({ length: drawing.samples }, () => ({ example, problem })));
  const responses: SampledResponse[] = [];
  for (let start = 0; start < asked.length; start += EVAL_CHUNK) {
    const chunk = asked.slice(start, start + EVAL_CHUNK);
    const sampled = await session.sampler.sample(
      weights,
      chunk.map((a) => a.example.promptIds),
      { temperature: drawing.temperature, topP: 1, maxTokens: arch.context, rng: drawing.rng },
    );
    sampled.forEach((s, i) => {
      const example = chunk[i]?.example;
      if (example === undefined) throw new Error(`the sampler answered ${sampled.length} of ${chunk.length} prompts`);
      responses.push({ prompt: example.prompt, answer: example.answer, tokens: s.response.filter((id) => id !== arch.eos) });
    });
  }
  // Each answer its own group of one: an eval has no group statistics.
  const { rollouts, samples } = packSampled(1, responses, tokenizer);
  const which = drawing.temperature === 0 && block.temperature > 0 ? "greedy answers" : "answers";
  const scored = new Map<string, RewardValue>();
  for (const name of new Set(block.rewards.flatMap((r) => leavesOf(r.expr).flatMap((leaf) => (leaf.op === "reward" ? [leaf.name] : []))))) {
    const source = plan.rewards.find((r) => r.name === name);
    if (source === undefined) throw new Error(`plan: eval reads reward \`${name}\`, which the plan does not declare`);
    scored.set(name, await scoreAll(session, source, samples, rollouts, which, warnings));
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
      problem: asked[i]!.problem,
      temperature: drawing.temperature,
      prompt: sample.prompt,
      response: sample.response,
      tokens: sample.tokens.length,
      steps: sample.stepEnds.length,
      rewards: Object.fromEntries([...scored].map(([name, value]) => [name, Array.from(rowValues(value, rollouts, i))])),
    }),
  );
  return { answers, values };
}

async function scoreAll(
  session: Session,
  source: RewardSource,
  samples: readonly RolloutSample[],
  rollouts: Rollouts,
  which: string,
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
      `eval: \`${source.name}\` could not score ${result.failures.length} of ${samples.length} ${which} ` +
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
