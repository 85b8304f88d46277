/**
 * Runs an RL stage's reward, filter, credit and advantage graph on one step's rollouts: every
 * reward source scored (or given by the batch), the reward expression combined (expr.ts), then
 * docs/algorithms.md §0 steps 2 to 6 by `rewardsToAdvantages` (runtime/ops/pipeline.ts), with the
 * metrics of §9 that the rollouts can give; `scoreRewards` is step 1 alone, which dynamic
 * sampling (§1.10) judges each round of a step by. An RL step hands it the rollouts it sampled, packed
 * (rollouts.ts); `roux rewards` its batch, packed the same way (pack-batch.ts). The stage graph
 * (stage-graph.ts) is the only description of the stage this reads, read once per stage by the
 * caller; the results come back as flat arrays over the same rows (responses.ts reads them per
 * response).
 */
import type { Expert, FilterNode, Plan, RewardSource, RlStage } from "../../plan/plan.js";
import { aggregate, aggregationOf } from "../ops/aggregate.js";
import { rowCount, rowSpan, type Rollouts } from "../ops/batch.js";
import { klTokens } from "../ops/kl.js";
import { rewardsToAdvantages, sequenceScores, type PipelineInput, type Reward } from "../ops/pipeline.js";
import type { Rng } from "../ops/rng.js";
import { scheduleAt } from "../ops/schedule.js";
import { zeroSignalFraction, zeroSignalGroups } from "../ops/zero-signal.js";
import { opsSchedule } from "../plan-schedule.js";
import type { RewardScorer } from "../rewards/source.js";
import { rowPath } from "./batch.js";
import { BatchError } from "./errors.js";
import { evaluate, evaluateSplit, type EvalContext, type RewardValue } from "./expr.js";
import { tokenSteps, valueCount, valueOffsets, type PackedRollouts, type RolloutSample } from "./rollouts.js";
import type { StageGraph } from "./stage-graph.js";

export interface RewardGraphOptions {
  /** The stage's global step, at which schedules (CHORD's mu) are evaluated. */
  readonly step: number;
  /**
   * Makes the scorer of a reward source, for the rewards the batch does not give
   * (runtime/rewards/create-scorer.ts). Without it, such a reward is a BatchError naming it.
   */
  readonly createScorer?: (source: RewardSource) => RewardScorer | Promise<RewardScorer>;
  /**
   * The draws that permute the advantages of a null control (docs/algorithms.md §1.11): the run's
   * `control` stream at this step (runtime/run/seeds.ts), so `roux rewards` shows what the run
   * trained on. Required when the stage is a control.
   */
  readonly controlRng?: Rng;
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
  /** Groups left with one kept response, whose advantages were set to 0 (docs/algorithms.md §1). */
  readonly singleRowGroups: number;
  /** The stage's KL estimator aggregated as its loss does, when the batch gives log-probabilities. */
  readonly kl: number | undefined;
  /** The policy's token entropy aggregated as the loss does, when the batch gives it. */
  readonly entropy: number | undefined;
  /** The share of groups whose responses' sequence scores all agree, before any filter (docs/algorithms.md §1.10). */
  readonly zeroSignalFrac: number;
  /** CHORD's mu at `step` (docs/algorithms.md §2), for a stage with a `chord` expert. */
  readonly chordMu: number | undefined;
  /** The weight of a `mix` expert at `step`. */
  readonly mixWeight: number | undefined;
}

/** What the graph computed, over the rows of its input, in the layout the ops and the trainer read. */
export interface RewardGraphResult {
  /** The input's rows, with `kept` as the filter left them. */
  readonly rollouts: Rollouts;
  /** Per reward source the stage scores, given or scored, in graph order. */
  readonly rewards: ReadonlyMap<string, RewardValue>;
  /** The stage's reward expression (§0 step 1), before the filter and the credit. */
  readonly reward: RewardValue;
  /** Per token: the credited rewards accumulated to tokens, without the baseline (§0 step 5). */
  readonly returns: Float32Array;
  /** Per token: §0 steps 4 to 6; 0 for a dropped response. */
  readonly advantages: Float32Array;
  /** Per group: 1 when its responses' sequence scores all agree, before any filter (docs/algorithms.md §1.10). */
  readonly zeroSignal: Uint8Array;
  readonly metrics: RewardGraphMetrics;
  /** Things a user should know that did not stop the run. */
  readonly warnings: readonly string[];
}

/** The RL stages of a plan, by name; `roux rewards --stage` takes one. */
export function rlStages(plan: Plan): RlStage[] {
  return plan.stages.filter((s): s is RlStage => s.kind === "rl");
}

/** What docs/algorithms.md §0 step 1 makes of a batch: every source scored, the expression combined. */
export interface ScoredRollouts {
  /** Per reward source the stage scores, given or scored, in graph order. */
  readonly scored: ReadonlyMap<string, RewardValue>;
  /** The stage's reward expression. */
  readonly combined: RewardValue;
  /** What the credit reads (creditedReward), over the rows of `steps`. */
  readonly reward: Reward;
  /** The input's rows with the steps the credit reads: one step per token for a token reward. */
  readonly steps: Rollouts;
  /** Per group: 1 when its responses' sequence scores all agree (docs/algorithms.md §1.10). */
  readonly zeroSignal: Uint8Array;
  readonly context: EvalContext;
  readonly warnings: string[];
}

export async function runRewardGraph(graph: StageGraph, input: PackedRollouts, options: RewardGraphOptions): Promise<RewardGraphResult> {
  const { rollouts } = input;
  const { scored, combined, reward, steps, zeroSignal, context, warnings } = await scoreRewards(graph, input, options);

  // 2. to 6., on steps as split, or on one step per token for a token reward.
  const pipelineInput: PipelineInput = {
    rollouts: steps,
    reward,
    prof: graph.filter && profInputs(graph.filter, context),
    entropy: input.entropy,
    controlRng: options.controlRng,
  };
  if (graph.config.advantage.some((op) => op.kind === "empg") && input.entropy === undefined) {
    throw new BatchError("the stage's advantage uses empg, which needs `entropy` (one value per token) for every response");
  }
  const result = rewardsToAdvantages(pipelineInput, graph.config);
  const kept: Rollouts = { ...rollouts, kept: result.kept };
  if (result.metrics.warnings > 0) {
    warnings.push(`${result.metrics.warnings} group(s) kept a single response, whose advantages are 0 (docs/algorithms.md §1)`);
  }

  const n = rowCount(rollouts);
  const aggregation = aggregationOf(graph.loss.aggregate, graph.sample.max_tokens);
  const accuracy = binaryOutcome(graph, scored);
  return {
    rollouts: kept,
    rewards: scored,
    reward: combined,
    returns: result.returns,
    advantages: result.advantages,
    zeroSignal,
    metrics: {
      step: options.step,
      rewards: new Map([...scored].map(([name, value]) => [name, moments(value.values)])),
      reward: moments(combined.values),
      accuracy: accuracy && moments(accuracy).mean,
      keepRatio: result.metrics.keepRatio,
      meanSteps: n > 0 ? rollouts.stepEnds.length / n : 0,
      meanTokens: n > 0 ? rollouts.mask.length / n : 0,
      advantageMean: result.metrics.advantageMean,
      advantageStd: result.metrics.advantageStd,
      singleRowGroups: result.metrics.warnings,
      zeroSignalFrac: zeroSignalFraction(zeroSignal),
      kl:
        graph.loss.kl && input.logprobs && input.refLogprobs
          ? aggregate(klTokens(input.logprobs, input.refLogprobs, graph.loss.kl.estimator), kept, aggregation)
          : undefined,
      entropy: input.entropy && aggregate(input.entropy, kept, aggregation),
      ...expertSchedules(graph.expert, options.step, warnings),
    },
    warnings,
  };
}

/**
 * Step 1 alone: every source scored (or given by the batch), the expression combined, and which
 * groups carry no signal. Dynamic sampling judges each round of a step by it before the step's
 * batch is assembled (runtime/run/rollout-rounds.ts).
 */
export async function scoreRewards(graph: StageGraph, input: PackedRollouts, options: RewardGraphOptions): Promise<ScoredRollouts> {
  const { stage } = graph;
  const { rollouts } = input;
  const warnings: string[] = [];
  if (rollouts.groupSize !== stage.group) {
    warnings.push(
      `the batch's groups have ${rollouts.groupSize} responses, and stage \`${stage.name}\` samples ${stage.group} per prompt (group = ${stage.group}): ` +
        `group statistics and PROF's removals are those of ${rollouts.groupSize}`,
    );
  }

  // 1. Score, then combine (docs/algorithms.md §0 step 1).
  checkRewardNames(graph, input);
  const scored = new Map<string, RewardValue>();
  const nodeValues = new Map<string, RewardValue>();
  for (const { node, source } of graph.scores) {
    const value = await scoreSource(source, input, options);
    scored.set(source.name, value);
    nodeValues.set(node.id, value);
  }
  const nodeNames = new Map(graph.scores.map(({ node, source }) => [node.id, source.name]));
  const context: EvalContext = {
    rollouts,
    value(node) {
      const value = nodeValues.get(node);
      if (value === undefined) throw new Error(`plan: node \`${node}\` is read before it is computed`);
      return value;
    },
    nodeName: (node) => nodeNames.get(node) ?? node,
    rowPath: (row) => rowPath(rollouts.groupSize, row),
  };
  for (const node of graph.valueNodes) {
    if (node.op === "Score") continue;
    const value = evaluate(node.expr, context);
    if (typeof value === "number" || value.granularity !== node.granularity) {
      throw new Error(`plan: Combine node \`${node.id}\` should be a ${node.granularity} reward`);
    }
    nodeValues.set(node.id, value);
  }
  const combined = context.value(graph.reward);
  const reward = creditedReward(graph, context);
  const steps = combined.granularity === "token" ? tokenSteps(rollouts) : rollouts;
  const zeroSignal = zeroSignalGroups(sequenceScores(reward, steps), rollouts.groupSize);
  return { scored, combined, reward, steps, zeroSignal, context, warnings };
}

/** The values of the stage's binary outcome source ({0, 1}), when it scores exactly one. */
function binaryOutcome(graph: StageGraph, scored: ReadonlyMap<string, RewardValue>): Float32Array | undefined {
  const binary = graph.scores.filter(({ source }) => source.granularity === "outcome" && source.binary && source.range.lo === 0 && source.range.hi === 1);
  const [only] = binary;
  return binary.length === 1 && only !== undefined ? scored.get(only.source.name)?.values : undefined;
}

// A reward name the stage does not score is most likely a typo: say which names it takes.
function checkRewardNames(graph: StageGraph, input: PackedRollouts): void {
  const names = graph.scores.map(({ source }) => source.name);
  input.given?.forEach((rewards, row) => {
    for (const name of rewards.keys()) {
      if (!names.includes(name)) {
        throw new BatchError(
          `${rowPath(input.rollouts.groupSize, row)}.rewards: stage \`${graph.stage.name}\` has no reward \`${name}\`; ` +
            `its rewards are ${names.map((n) => `\`${n}\``).join(", ")}`,
        );
      }
    }
  });
}

/** One source's values for the whole batch: given by the batch where it has them, else scored. */
async function scoreSource(source: RewardSource, input: PackedRollouts, options: RewardGraphOptions): Promise<RewardValue> {
  const { rollouts, samples } = input;
  const path = (row: number) => rowPath(rollouts.groupSize, row);
  const offsets = valueOffsets(source.granularity, rollouts);
  const values = new Float32Array(valueCount(source.granularity, rollouts));
  const place = (row: number, sample: RolloutSample, value: number | ArrayLike<number>, where: string) => {
    if (offsets === undefined) {
      if (typeof value !== "number") throw new BatchError(`${where}: \`${source.name}\` is an outcome reward: give one number, not a list`);
      values[row] = value;
      return;
    }
    const [start, end] = rowSpan(offsets, row);
    const expected = end - start;
    if (typeof value === "number") {
      throw new BatchError(
        `${where}: \`${source.name}\` is a ${source.granularity} reward: give a list of ${expected} values (one per ${unit(source)}), not a number`,
      );
    }
    if (value.length !== expected) {
      const has = source.granularity === "process" ? `${expected} steps (step_ends ${JSON.stringify(sample.stepEnds)})` : `${expected} tokens`;
      throw new BatchError(
        `${where}: ${value.length} values, but the response has ${has}; \`${source.name}\` is a ${source.granularity} reward: one value per ${unit(source)}`,
      );
    }
    values.set(value, start);
  };
  const missing: { row: number; sample: RolloutSample }[] = [];
  samples.forEach((sample, row) => {
    const given = input.given?.[row]?.get(source.name);
    if (given === undefined) missing.push({ row, sample });
    else {
      place(row, sample, given, `${path(row)}.rewards.${source.name}`);
      checkDeclaredRange(source, given, `${path(row)}.rewards.${source.name}`);
    }
  });
  const [first] = missing;
  if (first !== undefined) {
    if (options.createScorer === undefined) {
      throw new BatchError(
        `${path(first.row)}.rewards: \`${source.name}\` is not given, and roux rewards cannot score it yet; ` +
          `give \`rewards.${source.name}\` (${describeShape(source)}) for every response`,
      );
    }
    let scorer: RewardScorer;
    try {
      scorer = await options.createScorer(source);
    } catch (error) {
      // A source that cannot be scored here (a model file that will not load, a bad source): the user
      // can still give its values in the batch.
      throw new BatchError(
        `${path(first.row)}.rewards: \`${source.name}\` is not given and cannot be scored here (${(error as Error).message}); ` +
          `give \`rewards.${source.name}\` (${describeShape(source)}) for every response`,
      );
    }
    try {
      const scoredValues = await scorer.score(missing.map(({ sample }) => sample));
      const failure = scoredValues.failures[0];
      if (failure !== undefined) {
        const failed = missing[failure.sample];
        throw new BatchError(`${failed ? path(failed.row) : `sample ${failure.sample}`}: scoring \`${source.name}\` failed: ${failure.reason}`);
      }
      missing.forEach(({ row, sample }, j) => {
        const value = scoredValues.values[j];
        if (value === undefined) throw new Error(`the scorer of \`${source.name}\` gave ${scoredValues.values.length} values for ${missing.length} responses`);
        const [outcome] = value;
        place(
          row,
          sample,
          source.granularity === "outcome" && value.length === 1 && outcome !== undefined ? outcome : value,
          `${path(row)} (scored by \`${source.name}\`)`,
        );
      });
    } finally {
      await scorer.close();
    }
  }
  return { granularity: source.granularity, values };
}

/**
 * A given value stands in for a scored one, so it keeps the source's declared `range` as a scored one must
 * (runtime/rewards/js-scorer.ts). PROF, ReNorm and the gate refuse a non-binary value themselves.
 */
function checkDeclaredRange(source: RewardSource, given: number | readonly number[], where: string): void {
  const { lo, hi } = source.range;
  (typeof given === "number" ? [given] : given).forEach((value, k) => {
    if (Number.isFinite(value) && value >= lo && value <= hi) return;
    const at = typeof given === "number" ? where : `${where}[${k}]`;
    throw new BatchError(`${at}: ${value} is outside \`${source.name}\`'s declared range ${lo}..${hi}`);
  });
}

function unit(source: RewardSource): string {
  return source.granularity === "process" ? "step" : "token";
}

function describeShape(source: RewardSource): string {
  return source.granularity === "outcome" ? "a number" : `a list with one value per ${unit(source)}`;
}

/** The credited reward: the at_end terms of a Combine land after the min-form weighting (expr.ts). */
function creditedReward(graph: StageGraph, context: EvalContext): Reward {
  const node = graph.valueNodes.find((n) => n.id === graph.reward);
  if (node === undefined)
    throw new Error(`plan: the Credit node of stage \`${graph.stage.name}\` reads \`${graph.reward}\`, which is not a Score or Combine node`);
  if (node.op === "Score") {
    const value = context.value(node.id);
    return value.granularity === "outcome" ? { granularity: "outcome", values: value.values } : { granularity: "process", values: value.values };
  }
  if (node.granularity === "outcome") return { granularity: "outcome", values: context.value(node.id).values };
  const { main, atEnd } = evaluateSplit(node.expr, context);
  if (main.granularity !== "process" && main.granularity !== "token")
    throw new Error(`plan: Combine node \`${node.id}\` should be a ${node.granularity} reward`);
  return { granularity: "process", values: main.values, atEnd };
}

/** PROF's binary outcome y_i and process scores v_ik, the values of the Filter node's inputs. */
function profInputs(filter: FilterNode, context: EvalContext): NonNullable<PipelineInput["prof"]> {
  const [outcomeNode, processNode] = filter.inputs;
  if (outcomeNode === undefined || processNode === undefined)
    throw new Error(`plan: the Filter node \`${filter.id}\` reads ${filter.inputs.length} nodes, expected an outcome and a process reward`);
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
export function moments(values: Float32Array): Moments {
  const n = values.length;
  let sum = 0;
  for (const x of values) sum += x;
  const mean = n > 0 ? sum / n : 0;
  let squares = 0;
  for (const x of values) squares += (x - mean) ** 2;
  return { mean, std: n > 1 ? Math.sqrt(squares / (n - 1)) : 0 };
}
