/**
 * One RL step, the stage graph of the Plan in order (docs/algorithms.md §0):
 * Sample (the ONNX sampler, G responses per prompt, each round scored; with dynamic sampling,
 * more rounds in place of groups without signal: rollout-rounds.ts) → score, filter, credit and
 * advantages (runtime/reward-graph, the same code as `roux rewards`, so a step can be replayed
 * there) →
 * the PPO loss with KL, entropy and the expert's SFT term (the training engine, with log-probs
 * recomputed by it as verl does, at the sampling temperature) → Adam, `ppo_epochs` times over
 * the same rollouts.
 *
 * The reward graph sees each response without its end-of-sequence token (as `roux rewards`
 * sees text); the training engine also trains the eos, which takes the advantage of the
 * response's last token: it ends the last step. An empty response (eos first) has no token
 * to take an advantage from, so its eos gets 0: it is left out of the policy loss.
 */
import type { Kl, RlStage } from "../../plan/plan.js";
import { aggregationOf, aggregationWeights } from "../ops/aggregate.js";
import { rowCount, rowSpan, type Rollouts } from "../ops/batch.js";
import { scheduleAt } from "../ops/schedule.js";
import { opsSchedule } from "../plan-schedule.js";
import { responseOffsets, type Sequence } from "../policy/sequence.js";
import { rowValues } from "../reward-graph/responses.js";
import { packSampled } from "../reward-graph/rollouts.js";
import { runRewardGraph, type RewardGraphResult } from "../reward-graph/run.js";
import type { StageGraph } from "../reward-graph/stage-graph.js";
import { adamAt } from "./adam-settings.js";
import { now, type MetricsRecord } from "../record/events.js";
import { firstNonFinite, NonFiniteError } from "./non-finite.js";
import { examplesOf, type Session } from "./session.js";
import { streamRng } from "./seeds.js";
import { stepRollouts } from "./rollout-rounds.js";
import { stepExamples, type StageShape } from "./stage-clock.js";

export interface RlStepResult {
  readonly metrics: MetricsRecord;
  readonly warnings: readonly string[];
}

/** Step `step` of the RL stage whose graph is `graph` (read once for the stage, stage-graph.ts). */
export async function rlStep(session: Session, graph: StageGraph, stageIndex: number, shape: StageShape, step: number): Promise<RlStepResult> {
  const { plan, engine } = session;
  const seed = plan.settings.seed;
  const { stage, sample, loss, expert: planExpert, optimizer } = graph;

  // Sample: G responses for each of the step's prompts, rows group by group, each scored.
  const sampled = await stepRollouts(session, graph, stageIndex, shape, step);
  const sequences = sampled.groups.flatMap((g) => g.sequences);
  const trainedTokens = sequences.reduce((n, s) => n + s.response.length, 0);

  // Log-probabilities and entropy under the policy being trained (the PPO ratio's old side),
  // and under the KL reference, at the temperature sampled at.
  const started = performance.now();
  const temperature = trainingTemperature(sample.temperature);
  const current = engine.score(sequences, temperature);
  const reference = loss.kl ? engine.score(sequences, temperature, referenceWeights(session, loss.kl)) : undefined;

  // Filter, credit, advantages, on the responses without their eos, from the scores of sampling.
  const offsets = responseOffsets(sequences);
  const texts = sampled.groups.flatMap((g) => g.texts);
  const entropy = texts.map((tokens, row) => {
    const [start] = rowSpan(offsets, row);
    return current.entropy.subarray(start, start + tokens.length);
  });
  const responses = sampled.groups.flatMap(({ example, texts }) => texts.map((tokens) => ({ prompt: example.prompt, answer: example.answer, tokens })));
  const rollouts = { ...packSampled(stage.group, responses, session.tokenizer, entropy), given: sampled.groups.flatMap((g) => g.given) };
  const rewards = await runRewardGraph(graph, rollouts, {
    step,
    createScorer: (source) => session.scorers.get(source),
    controlRng: streamRng(seed, stageIndex, step, "control"),
  });
  const rewardSeconds = (performance.now() - started) / 1000 + sampled.scoreSeconds;
  guardRewards(rewards, stage, step);

  // Per training token (eos included): advantages and the aggregation's weights.
  const advantages = trainingAdvantages(rewards, offsets, trainedTokens);
  const bad = firstNonFinite(advantages);
  if (bad >= 0) throw new NonFiniteError(stage.name, step + 1, "advantage", "an advantage");
  const training = trainingRows(offsets, trainedTokens, rewards.rollouts.kept, stage.group);
  const lossWeights = aggregationWeights(training, aggregationOf(loss.aggregate, sample.max_tokens));

  // The expert's rows (CHORD, mix) and its weight at this step.
  let expert: Parameters<Session["engine"]["rlStep"]>[0]["expert"];
  let expertWeight: number | undefined;
  if (planExpert !== undefined) {
    const e = planExpert;
    const rows = stepExamples(examplesOf(session, e.data), shape.expertRows, step, seed, stageIndex, "expert-order");
    const expertSequences: Sequence[] = rows.map((d) => ({ prompt: d.promptIds, response: d.target! }));
    const schedule = opsSchedule(e.method === "chord" ? e.mu : e.weight, shape.clock);
    if (schedule === undefined) throw new Error(`stage \`${stage.name}\`: the expert's schedule is in tokens, which is not a number of steps`);
    expertWeight = scheduleAt(schedule, step);
    expert =
      e.method === "chord" ? { sequences: expertSequences, mu: expertWeight, phi: e.phi } : { sequences: expertSequences, weight: expertWeight, mix: true };
  }

  const adam = adamAt(optimizer, step, shape.clock);
  let result: ReturnType<Session["engine"]["rlStep"]> | undefined;
  for (let epoch = 0; epoch < stage.ppo_epochs; epoch++) {
    result = engine.rlStep(
      {
        sequences,
        temperature,
        advantages,
        oldLogprobs: current.logprobs,
        lossWeights,
        clip: { low: loss.clip, high: loss.clip_high ?? loss.clip, dual: loss.dual_clip },
        kl: loss.kl && reference ? { estimator: loss.kl.estimator, coef: loss.kl.coef, refLogprobs: reference.logprobs } : undefined,
        entropyCoef: loss.entropy,
        expert,
      },
      adam,
    );
    if (!result.applied) {
      const gradient = result.nonFinite === "gradient";
      throw new NonFiniteError(stage.name, step + 1, gradient ? "step" : "loss", gradient ? "the gradient" : "the loss");
    }
  }
  const trainSeconds = (performance.now() - started) / 1000 - (rewardSeconds - sampled.scoreSeconds);
  const m = rewards.metrics;
  const metrics: MetricsRecord = { stage: stage.name, step: step + 1, time: now(), reward: m.reward.mean, reward_std: m.reward.std };
  for (const [name, moments] of m.rewards) {
    metrics[`reward_${name}_mean`] = moments.mean;
    metrics[`reward_${name}_std`] = moments.std;
  }
  const optional: Record<string, number | undefined> = {
    accuracy: m.accuracy,
    keep_ratio: graph.filter !== undefined ? m.keepRatio : undefined,
    zero_signal_frac: sampled.zeroSignalFrac,
    refill_rounds: sampled.refill?.rounds,
    refill_capped: sampled.refill && (sampled.refill.capped ? 1 : 0),
    sampled_reward: sampled.refill?.sampledReward,
    steps_per_response: m.meanSteps,
    response_tokens: m.meanTokens,
    advantage_mean: m.advantageMean,
    advantage_std: m.advantageStd,
    loss: result!.loss,
    policy_loss: result!.policyLoss,
    kl: loss.kl ? result!.kl : undefined,
    entropy: result!.entropy,
    clip_fraction: result!.clipFraction,
    chord_mu: expert && "mu" in expert ? expertWeight : undefined,
    mix_weight: expert && "mix" in expert ? expertWeight : undefined,
    sft_loss: result!.sftLoss,
    grad_norm: result!.gradNorm,
    lr: adam.lr,
    rollout_tok_s: sampled.sampledTokens / sampled.sampleSeconds,
    train_tok_s: (trainedTokens * stage.ppo_epochs) / trainSeconds,
    time_rollout_s: sampled.sampleSeconds,
    time_reward_s: rewardSeconds,
    time_train_s: trainSeconds,
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) metrics[key] = value;
  return { metrics, warnings: rewards.warnings };
}

/**
 * The temperature the trainer takes log-probs and entropy at: the sampling temperature
 * (docs/algorithms.md §1.5). Greedy sampling (T = 0) draws from a point mass, whose log-probs
 * are 0 and carry no gradient; a greedy RL stage (the language allows one) trains on the
 * untempered distribution instead, softmax(z), as at T = 1.
 */
function trainingTemperature(sampling: number): number {
  return sampling > 0 ? sampling : 1;
}

function referenceWeights(session: Session, kl: Kl) {
  const name = kl.ref.kind === "init" ? "init" : kl.ref.stage;
  const weights = session.references.get(name);
  if (weights === undefined) throw new Error(`the KL reference \`${name}\` has not run (roux check reports this as E3105)`);
  return weights;
}

/**
 * Per training token (eos included): each response's advantages, and on its eos the advantage
 * of its last token, which ends its last step; the eos of an empty response gets 0.
 */
function trainingAdvantages(rewards: RewardGraphResult, offsets: Int32Array, tokens: number): Float32Array {
  const out = new Float32Array(tokens);
  for (let row = 0; row < rowCount(rewards.rollouts); row++) {
    const [start, end] = rowSpan(rewards.rollouts.tokenOffsets, row);
    const [trainStart, trainEnd] = rowSpan(offsets, row);
    const text = rewards.advantages.subarray(start, end);
    out.set(text, trainStart);
    if (trainEnd - trainStart > text.length) out[trainStart + text.length] = text.at(-1) ?? 0;
  }
  return out;
}

/**
 * The training tokens as rows for the aggregation: only the token offsets, the mask (every
 * sampled token is the policy's own) and the rows PROF kept matter to it; steps do not.
 */
function trainingRows(offsets: Int32Array, tokens: number, kept: Uint8Array, groupSize: number): Rollouts {
  const n = kept.length;
  return {
    groups: n / groupSize,
    groupSize,
    tokenOffsets: offsets,
    mask: new Uint8Array(tokens).fill(1),
    stepOffsets: new Int32Array(n + 1),
    stepEnds: new Int32Array(0),
    kept,
  };
}

/** Rewards that are NaN or infinite stop the step, named by the Score node of their source (the first response's first). */
function guardRewards(rewards: RewardGraphResult, stage: RlStage, step: number): void {
  for (let row = 0; row < rowCount(rewards.rollouts); row++) {
    for (const [name, value] of rewards.rewards) {
      if (firstNonFinite(rowValues(value, rewards.rollouts, row)) >= 0) {
        throw new NonFiniteError(stage.name, step + 1, `score.${name}`, `reward \`${name}\``);
      }
    }
  }
}
