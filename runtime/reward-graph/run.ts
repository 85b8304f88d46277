/**
 * Runs an RL stage's reward, filter, credit and advantage graph on one batch (issue #5, the
 * engine of `roux rewards`): every reward source scored (or given by the batch), the reward
 * expression combined (expr.ts), then ALGORITHMS.md §0 steps 2 to 6 by `rewardsToAdvantages`
 * (runtime/ops/pipeline.ts), with the metrics of §9 that a batch can give. The Plan is the
 * only description of the stage this reads.
 */
import { checkPlan, describeIssues } from "../../plan/check-plan.js";
import type { Expert, Plan, RewardSource, RlStage } from "../../plan/plan.js";
import { aggregate, aggregationOf } from "../ops/aggregate.js";
import { rowCount, type Rollouts } from "../ops/batch.js";
import { klTokens } from "../ops/kl.js";
import { rewardsToAdvantages, type PipelineInput, type Reward } from "../ops/pipeline.js";
import { scheduleAt } from "../ops/schedule.js";
import { opsSchedule } from "../plan-schedule.js";
import type { RewardScorer, ScoringSample } from "../rewards/source.js";
import { createTokenizer } from "../tokenizer.js";
import type { RewardBatch } from "./batch.js";
import { BatchError, RewardGraphError } from "./errors.js";
import { evaluate, evaluateSplit, type EvalContext, type RewardValue } from "./expr.js";
import { packBatch, tokenSteps, type PackedBatch, type PackedResponse } from "./rollouts.js";
import { readStageGraph, type StageGraph } from "./stage-graph.js";

export interface RewardGraphOptions {
  /** The stage's global step, at which schedules (CHORD's mu) are evaluated. */
  readonly step: number;
  /**
   * Makes the scorer of a reward source, for the rewards the batch does not give
   * (runtime/rewards/create-scorer.ts). Without it, such a reward is a BatchError naming it.
   */
  readonly createScorer?: (source: RewardSource) => RewardScorer | Promise<RewardScorer>;
}

/** A reward as the batch holds it for one response: a number (outcome) or one per step or token. */
export type ResponseReward = number | Float32Array;

export interface ResponseResult {
  readonly kept: boolean;
  readonly stepEnds: readonly number[];
  /** Per reward source the stage scores, given or scored. */
  readonly rewards: ReadonlyMap<string, ResponseReward>;
  /** The stage's reward expression (§0 step 1), before the filter and the credit. */
  readonly reward: ResponseReward;
  /** Per token: the credited rewards accumulated to tokens, without the baseline (§0 step 5). */
  readonly returns: Float32Array;
  /** Per token: §0 steps 4 to 6; 0 for a dropped response. */
  readonly advantages: Float32Array;
}

export interface Moments {
  readonly mean: number;
  /** Unbiased (n - 1); 0 below two values. */
  readonly std: number;
}

export interface RewardGraphMetrics {
  readonly step: number;
  /** Per reward source, over all its values (per response, step or token) before filtering. */
  readonly rewards: ReadonlyMap<string, Moments>;
  /** The reward expression's value, likewise. */
  readonly reward: Moments;
  /** Mean of the stage's binary outcome source, when it scores exactly one. */
  readonly accuracy: number | undefined;
  readonly keepRatio: number;
  readonly meanSteps: number;
  readonly meanTokens: number;
  /** Over the tokens of the kept responses. */
  readonly advantageMean: number;
  readonly advantageStd: number;
  /** Groups left with one kept response, whose advantages were set to 0 (ALGORITHMS.md §1). */
  readonly singleRowGroups: number;
  /** The stage's KL estimator aggregated as its loss does, when the batch gives log-probabilities. */
  readonly kl: number | undefined;
  /** The policy's token entropy aggregated as the loss does, when the batch gives it. */
  readonly entropy: number | undefined;
  /** CHORD's mu at `step` (ALGORITHMS.md §2), for a stage with a `chord` expert. */
  readonly chordMu: number | undefined;
  /** The weight of a `mix` expert at `step`. */
  readonly mixWeight: number | undefined;
}

export interface RewardGraphResult {
  readonly groups: readonly { readonly responses: readonly ResponseResult[] }[];
  readonly metrics: RewardGraphMetrics;
  /** Things a user should know that did not stop the run. */
  readonly warnings: readonly string[];
}

/** The RL stages of a plan, by name; `roux rewards --stage` takes one. */
export function rlStages(plan: Plan): RlStage[] {
  return plan.stages.filter((s): s is RlStage => s.kind === "rl");
}

export async function runRewardGraph(plan: Plan, stage: RlStage, batch: RewardBatch, options: RewardGraphOptions): Promise<RewardGraphResult> {
  const issues = checkPlan(plan);
  if (issues.length > 0) throw new RewardGraphError(describeIssues(issues));
  if (plan.policy.kind !== "transformer") {
    throw new RewardGraphError(`the policy \`${plan.policy.name}\` is a hub model (\`${plan.policy.hub_name}\`), whose tokenizer the runtime does not have`);
  }
  const graph = readStageGraph(plan, stage);
  const packed = packBatch(batch, createTokenizer(plan.policy.tokenizer));
  const { rollouts, responses } = packed;
  const warnings: string[] = [];
  if (rollouts.groupSize !== stage.group) {
    warnings.push(`the batch's groups have ${rollouts.groupSize} responses, and stage \`${stage.name}\` samples ${stage.group} per prompt (group = ${stage.group}): group statistics and PROF's removals are those of ${rollouts.groupSize}`);
  }

  // 1. Score, then combine (ALGORITHMS.md §0 step 1).
  checkRewardNames(graph, responses);
  const scored = new Map<string, RewardValue>();
  for (const { source } of graph.scores) scored.set(source.name, await scoreSource(source, packed, options));
  const nodeValues = new Map<string, RewardValue>();
  const nodeNames = new Map(graph.scores.map(({ node, source }) => [node.id, source.name]));
  const context: EvalContext = {
    rollouts,
    value(node) {
      const value = nodeValues.get(node);
      if (value === undefined) throw new Error(`plan: node \`${node}\` is read before it is computed`);
      return value;
    },
    nodeName: (node) => nodeNames.get(node) ?? node,
    rowPath: (row) => responses[row].path,
  };
  for (const node of graph.valueNodes) {
    if (node.op === "Score") {
      nodeValues.set(node.id, scored.get(node.reward)!);
      continue;
    }
    const value = evaluate(node.expr, context);
    if (typeof value === "number" || value.granularity !== node.granularity) {
      throw new Error(`plan: Combine node \`${node.id}\` should be a ${node.granularity} reward`);
    }
    nodeValues.set(node.id, value);
  }
  const combined = context.value(graph.reward);
  const reward = creditedReward(graph, context);

  // 2. to 6., on steps as split, or on one step per token for a token reward.
  const input: PipelineInput = {
    rollouts: combined.granularity === "token" ? tokenSteps(rollouts) : rollouts,
    reward,
    prof: graph.filter && profInputs(graph, context),
    entropy: perToken(responses, "entropy", rollouts),
  };
  if (graph.config.advantage.some((op) => op.kind === "empg") && input.entropy === undefined) {
    throw new BatchError("the stage's advantage uses empg, which needs `entropy` (one value per token) for every response");
  }
  const result = rewardsToAdvantages(input, graph.config);
  const kept: Rollouts = { ...rollouts, kept: result.kept };
  if (result.metrics.warnings > 0) {
    warnings.push(`${result.metrics.warnings} group(s) kept a single response, whose advantages are 0 (ALGORITHMS.md §1)`);
  }

  const n = rowCount(rollouts);
  const perResponse = (values: Float32Array, offsets: Int32Array, i: number) => values.slice(offsets[i], offsets[i + 1]);
  const layoutOf = (value: RewardValue, i: number): ResponseReward =>
    value.granularity === "outcome" ? value.values[i] : perResponse(value.values, value.granularity === "process" ? rollouts.stepOffsets : rollouts.tokenOffsets, i);
  const results: ResponseResult[] = responses.map((response, i) => ({
    kept: result.kept[i] === 1,
    stepEnds: response.stepEnds,
    rewards: new Map([...scored].map(([name, value]) => [name, layoutOf(value, i)])),
    reward: layoutOf(combined, i),
    returns: perResponse(result.returns, rollouts.tokenOffsets, i),
    advantages: perResponse(result.advantages, rollouts.tokenOffsets, i),
  }));

  const aggregation = aggregationOf(graph.loss.aggregate, graph.sample.max_tokens);
  const logprobs = perToken(responses, "logprobs", rollouts);
  const refLogprobs = perToken(responses, "refLogprobs", rollouts);
  const binaryOutcomes = graph.scores.filter(({ source }) => source.granularity === "outcome" && source.binary && source.range.lo === 0 && source.range.hi === 1);
  const schedules = expertSchedules(graph.expert, options.step, warnings);
  return {
    groups: batch.groups.map((_, g) => ({ responses: results.slice(g * rollouts.groupSize, (g + 1) * rollouts.groupSize) })),
    metrics: {
      step: options.step,
      rewards: new Map([...scored].map(([name, value]) => [name, moments(value.values)])),
      reward: moments(combined.values),
      accuracy: binaryOutcomes.length === 1 ? moments(scored.get(binaryOutcomes[0].source.name)!.values).mean : undefined,
      keepRatio: result.metrics.keepRatio,
      meanSteps: n > 0 ? rollouts.stepEnds.length / n : 0,
      meanTokens: n > 0 ? rollouts.mask.length / n : 0,
      advantageMean: result.metrics.advantageMean,
      advantageStd: result.metrics.advantageStd,
      singleRowGroups: result.metrics.warnings,
      kl: graph.loss.kl && logprobs && refLogprobs ? aggregate(klTokens(logprobs, refLogprobs, graph.loss.kl.estimator), kept, aggregation) : undefined,
      entropy: input.entropy && aggregate(input.entropy, kept, aggregation),
      ...schedules,
    },
    warnings,
  };
}

// A reward name the stage does not score is most likely a typo: say which names it takes.
function checkRewardNames(graph: StageGraph, responses: readonly PackedResponse[]): void {
  const names = graph.scores.map(({ source }) => source.name);
  for (const response of responses) {
    for (const name of response.input.rewards.keys()) {
      if (!names.includes(name)) {
        throw new BatchError(
          `${response.path}.rewards: stage \`${graph.stage.name}\` has no reward \`${name}\`; its rewards are ${names.map((n) => `\`${n}\``).join(", ")}`,
        );
      }
    }
  }
}

/** One source's values for the whole batch: given by the batch where it has them, else scored. */
async function scoreSource(source: RewardSource, packed: PackedBatch, options: RewardGraphOptions): Promise<RewardValue> {
  const { rollouts, responses } = packed;
  const offsets = source.granularity === "outcome" ? undefined : source.granularity === "process" ? rollouts.stepOffsets : rollouts.tokenOffsets;
  const values = new Float32Array(offsets ? offsets[offsets.length - 1] : responses.length);
  const place = (i: number, value: number | ArrayLike<number>, where: string) => {
    const response = responses[i];
    if (offsets === undefined) {
      if (typeof value !== "number") throw new BatchError(`${where}: \`${source.name}\` is an outcome reward: give one number, not a list`);
      values[i] = value;
      return;
    }
    const expected = offsets[i + 1] - offsets[i];
    if (typeof value === "number") {
      throw new BatchError(`${where}: \`${source.name}\` is a ${source.granularity} reward: give a list of ${expected} values (one per ${unit(source)}), not a number`);
    }
    if (value.length !== expected) {
      const has = source.granularity === "process" ? `${expected} steps (step_ends ${JSON.stringify(response.stepEnds)})` : `${expected} tokens`;
      throw new BatchError(`${where}: ${value.length} values, but the response has ${has}; \`${source.name}\` is a ${source.granularity} reward: one value per ${unit(source)}`);
    }
    values.set(value, offsets[i]);
  };
  const missing: number[] = [];
  responses.forEach((response, i) => {
    const given = response.input.rewards.get(source.name);
    if (given === undefined) missing.push(i);
    else place(i, given, `${response.path}.rewards.${source.name}`);
  });
  if (missing.length > 0) {
    const first = responses[missing[0]];
    if (options.createScorer === undefined) {
      throw new BatchError(
        `${first.path}.rewards: \`${source.name}\` is not given, and roux rewards cannot score it yet; give \`rewards.${source.name}\` (${describeShape(source)}) for every response`,
      );
    }
    let scorer: RewardScorer;
    try {
      scorer = await options.createScorer(source);
    } catch (error) {
      // A source that cannot be scored here (a model file that will not load, a bad source): the user
      // can still give its values in the batch.
      throw new BatchError(
        `${first.path}.rewards: \`${source.name}\` is not given and cannot be scored here (${(error as Error).message}); give \`rewards.${source.name}\` (${describeShape(source)}) for every response`,
      );
    }
    try {
      const samples: ScoringSample[] = missing.map((i) => {
        const r = responses[i];
        return { prompt: r.prompt ?? "", answer: r.answer, response: r.text, tokens: r.tokens, stepEnds: r.stepEnds };
      });
      const scoredValues = await scorer.score(samples);
      const failure = scoredValues.failures[0];
      if (failure !== undefined) {
        throw new BatchError(`${responses[missing[failure.sample]].path}: scoring \`${source.name}\` failed: ${failure.reason}`);
      }
      missing.forEach((i, j) => {
        const value = scoredValues.values[j];
        place(i, source.granularity === "outcome" && value.length === 1 ? value[0] : value, `${responses[i].path} (scored by \`${source.name}\`)`);
      });
    } finally {
      await scorer.close();
    }
  }
  return { granularity: source.granularity, values };
}

function unit(source: RewardSource): string {
  return source.granularity === "process" ? "step" : "token";
}

function describeShape(source: RewardSource): string {
  return source.granularity === "outcome" ? "a number" : `a list with one value per ${unit(source)}`;
}

/** The credited reward: the at_end terms of a Combine land after the min-form weighting (expr.ts). */
function creditedReward(graph: StageGraph, context: EvalContext): Reward {
  const node = graph.valueNodes.find((n) => n.id === graph.reward)!;
  if (node.op === "Score") {
    const value = context.value(node.id);
    return value.granularity === "outcome" ? { granularity: "outcome", values: value.values } : { granularity: "process", values: value.values };
  }
  if (node.granularity === "outcome") return { granularity: "outcome", values: context.value(node.id).values };
  const { main, atEnd } = evaluateSplit(node.expr, context);
  if (main.granularity !== "process" && main.granularity !== "token") throw new Error(`plan: Combine node \`${node.id}\` should be a ${node.granularity} reward`);
  return { granularity: "process", values: main.values, atEnd };
}

/** PROF's binary outcome y_i and process scores v_ik, the values of the Filter node's inputs. */
function profInputs(graph: StageGraph, context: EvalContext): NonNullable<PipelineInput["prof"]> {
  const [outcomeNode, processNode] = graph.filter!.inputs;
  const outcome = context.value(outcomeNode);
  const process = context.value(processNode);
  if (outcome.granularity !== "outcome" || process.granularity !== "process") {
    throw new Error(`plan: PROF reads a ${outcome.granularity} and a ${process.granularity} reward, expected an outcome and a process reward`);
  }
  const name = context.nodeName(outcomeNode);
  outcome.values.forEach((y, i) => {
    if (y !== 0 && y !== 1) throw new BatchError(`${context.rowPath(i)}: PROF needs a binary outcome (0 or 1), and \`${name}\` is ${y} here`);
  });
  return { outcome: outcome.values, process: process.values };
}

/** A per-token input given for every response, packed; undefined when no response gives it. */
function perToken(responses: readonly PackedResponse[], key: "entropy" | "logprobs" | "refLogprobs", r: Rollouts): Float32Array | undefined {
  const given = responses.filter((response) => response.input[key] !== null);
  if (given.length === 0) return undefined;
  const name = key === "refLogprobs" ? "ref_logprobs" : key;
  const lacking = responses.find((response) => response.input[key] === null);
  if (lacking !== undefined) throw new BatchError(`${lacking.path}: \`${name}\` is given for some responses but not this one; give it for every response or none`);
  const out = new Float32Array(r.mask.length);
  responses.forEach((response, i) => out.set(response.input[key]!, r.tokenOffsets[i]));
  return out;
}

function expertSchedules(expert: Expert | undefined, step: number, warnings: string[]): Pick<RewardGraphMetrics, "chordMu" | "mixWeight"> {
  if (expert === undefined) return { chordMu: undefined, mixWeight: undefined };
  const what = expert.method === "chord" ? "CHORD's mu" : "the mix weight";
  const schedule = opsSchedule(expert.method === "chord" ? expert.mu : expert.weight);
  if (schedule === undefined) {
    warnings.push(`${what} is scheduled in epochs, which need the dataset's size; it is not reported`);
    return { chordMu: undefined, mixWeight: undefined };
  }
  const value = scheduleAt(schedule, step);
  return expert.method === "chord" ? { chordMu: value, mixWeight: undefined } : { chordMu: undefined, mixWeight: value };
}

/** Mean and unbiased std in float64, two passes (as runtime/ops/stats.ts). */
function moments(values: Float32Array): Moments {
  const n = values.length;
  let sum = 0;
  for (let j = 0; j < n; j++) sum += values[j];
  const mean = n > 0 ? sum / n : 0;
  let squares = 0;
  for (let j = 0; j < n; j++) squares += (values[j] - mean) ** 2;
  return { mean, std: n > 1 ? Math.sqrt(squares / (n - 1)) : 0 };
}
