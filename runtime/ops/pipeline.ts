// docs/algorithms.md §0 for one batch, in order: filter, credit weighting, baseline, accumulation
// to tokens, whitening, EMPG, token mask. Scoring and combining rewards (step 1) happen before:
// the input is the stage's combined reward.

import { ADVANTAGE_ORDER } from "../../plan/advantage-rules.js";
import { accumulateSteps, broadcastRows } from "./accumulate.js";
import { applyBaseline, type RowBaseline } from "./baseline.js";
import { checkRollouts, requireLength, rowCount, type Rollouts } from "./batch.js";
import { empg, type EmpgOptions } from "./empg.js";
import { groupNormBaseline, groupNormStepBaseline, type GroupNormOptions } from "./group_norm.js";
import { addAtEnd } from "./lift.js";
import { minFormRewards, minFormStrictReturns } from "./min_form.js";
import { oneSidedRows, profFilter, type ProfOptions } from "./prof.js";
import type { Rng } from "./rng.js";
import { rlooBaseline, rlooStepBaseline } from "./rloo.js";
import { shuffleWithinGroups } from "./shuffle.js";
import { oneValuePerRow, rowSums, tokenMoments } from "./stats.js";
import { whiten } from "./whiten.js";

export type Credit =
  | { readonly kind: "outcome" }
  | { readonly kind: "sum_form"; readonly gamma: number }
  | { readonly kind: "min_form"; readonly temperature: number; readonly strict: boolean };

type Baseline = ({ readonly kind: "group_norm" } & GroupNormOptions) | { readonly kind: "rloo" };

export type AdvantageOp = Baseline | { readonly kind: "whiten" } | ({ readonly kind: "empg" } & EmpgOptions);

export type Filter = { readonly kind: "none" } | ({ readonly kind: "prof" } & ProfOptions);

export interface PipelineConfig {
  readonly credit: Credit;
  /** In §0 order: at most one baseline (group_norm | rloo), then whiten, then empg. */
  readonly advantage: readonly AdvantageOp[];
  readonly filter: Filter;
  /** The null control of docs/algorithms.md §1.11, in place of the method; absent for the method. */
  readonly control?: "shuffled_advantages";
}

/** The stage's combined reward (§0 step 1): one value per row, or one per step. */
export type Reward =
  | { readonly granularity: "outcome"; readonly values: Float32Array }
  | {
      readonly granularity: "process";
      readonly values: Float32Array;
      /** Outcome per row landing on the last step after the credit weighting (PURE's PRM+VR). */
      readonly atEnd?: Float32Array;
    };

export interface PipelineInput {
  readonly rollouts: Rollouts;
  readonly reward: Reward;
  /** PROF's inputs: binary outcome y_i per row, process scores v_ik per step. */
  readonly prof?: { readonly outcome: Float32Array; readonly process: Float32Array };
  /** Per-token policy entropy, for EMPG. */
  readonly entropy?: Float32Array;
  /** The draws that permute a null control's advantages (its own stream of the run's seed). */
  readonly controlRng?: Rng;
}

export interface PipelineMetrics {
  /** Kept rows / all rows. */
  readonly keepRatio: number;
  /** Over the masked tokens of the kept rows. */
  readonly advantageMean: number;
  readonly advantageStd: number;
  /** Over all rows, before filtering. */
  readonly meanSteps: number;
  readonly meanTokens: number;
  /** Groups left with a single kept row, whose advantage was set to 0. */
  readonly warnings: number;
}

export interface PipelineResult {
  /** Per row. */
  readonly kept: Uint8Array;
  /**
   * Per token: the credited rewards accumulated to tokens, before any baseline (§0 step 5),
   * for every row and token (dropped rows and masked tokens too; `kept` says what counts).
   */
  readonly returns: Float32Array;
  /** Per token, 0 on masked tokens and dropped rows (§0 steps 4 to 6). */
  readonly advantages: Float32Array;
  readonly metrics: PipelineMetrics;
}

/**
 * Rewards to per-token advantages for one batch: docs/algorithms.md §0 steps 2 to 6, composing
 * PROF (Ye et al. 2025), PURE's min-form and sum-form credit (Cheng et al. 2025), GRPO's
 * group_norm (Shao et al. 2024) or RLOO (Ahmadian et al. 2024), whitening and EMPG (Wang et
 * al. 2025); or, for a null control (§1.11), the same with each group's per-response advantages
 * permuted between steps 4 and 5. Pure: the input is not modified.
 */
export function rewardsToAdvantages(input: PipelineInput, config: PipelineConfig): PipelineResult {
  checkRollouts(input.rollouts);
  const { baseline, whitened, modulation } = advantagePlan(config.advantage);
  const { reward, rollouts } = input;
  const n = rowCount(rollouts);
  requireLength(reward.values, reward.granularity === "outcome" ? n : rollouts.stepEnds.length, "reward");
  if (modulation && !input.entropy) throw new Error("empg needs the per-token entropy of the policy");
  const control = config.control && controlStream(input, config);

  // 2. Filter. Dropped rows leave the step: every later statistic reads batch.kept.
  const batch: Rollouts = { ...rollouts, kept: filterRows(input, config.filter) };

  // 3. Credit weighting, then 4. the baseline on what the response carries and 5. the
  // accumulation to tokens; `returns` is the same accumulation without the baseline.
  let returns: Float32Array;
  let advantages: Float32Array;
  let b: RowBaseline | undefined;
  const credit = config.credit;
  if (credit.kind === "outcome") {
    const s = sequenceScores(reward, batch);
    returns = broadcastRows(s, batch);
    b = baseline && rowBaseline(baseline, s, batch);
    const perRow = b ? applyBaseline(s, oneValuePerRow(n), b) : s;
    // The null control (§1.11) permutes A_i before it reaches the tokens: each response's tokens
    // carry the one value it was handed.
    if (control) advantages = broadcastRows(shuffleWithinGroups(perRow, batch.groupSize, batch.kept, control), batch);
    else advantages = b ? broadcastRows(perRow, batch) : returns;
  } else if (reward.granularity === "outcome") {
    throw new Error(`${credit.kind} credit needs step-level rewards (E3102), got an outcome reward`);
  } else if (credit.kind === "min_form" && credit.strict) {
    // No step rewards to shift: the baseline reads s_i = G_i at the first token. An at_end
    // outcome sits on the last step, at or after every token, so it adds to every return
    // (outside the min, as it is added after the weighting in the soft form).
    returns = minFormStrictReturns(reward.values, batch);
    if (reward.atEnd) returns = add(returns, broadcastRows(reward.atEnd, batch));
    b = baseline && rowBaseline(baseline, firstTokenValues(returns, batch), batch);
    advantages = b ? applyBaseline(returns, batch.tokenOffsets, b) : returns;
  } else {
    const weighted = credit.kind === "min_form" ? minFormRewards(reward.values, batch, credit.temperature) : reward.values;
    const steps = reward.atEnd ? addAtEnd(weighted, reward.atEnd, batch) : weighted;
    const gamma = credit.kind === "sum_form" ? credit.gamma : 1;
    returns = accumulateSteps(steps, batch, gamma);
    b = baseline && stepBaseline(baseline, steps, batch);
    advantages = b ? accumulateSteps(applyBaseline(steps, batch.stepOffsets, b), batch, gamma) : returns;
  }

  // 6. Whiten over the batch, then EMPG, then the token mask. PROF's groups left all correct
  // or all incorrect get A = 0: nothing is left to compare.
  if (whitened) advantages = whiten(advantages, batch);
  if (modulation && input.entropy) advantages = empg(advantages, input.entropy, batch, modulation);
  const oneSided = config.filter.kind === "prof" ? oneSidedRows(profScores(input).outcome, batch) : undefined;
  advantages = masked(advantages, batch, oneSided);

  const moments = tokenMoments(advantages, batch);
  let keptRows = 0;
  for (const k of batch.kept) keptRows += k;
  return {
    kept: batch.kept,
    returns,
    advantages,
    metrics: {
      keepRatio: n > 0 ? keptRows / n : 0,
      advantageMean: moments.mean,
      advantageStd: Math.sqrt(moments.variance),
      meanSteps: n > 0 ? batch.stepEnds.length / n : 0,
      meanTokens: n > 0 ? batch.mask.length / n : 0,
      warnings: b?.singletonGroups ?? 0,
    },
  };
}

/**
 * Splits the `|>` chain into §0's fixed order (plan/advantage-rules.ts's ADVANTAGE_ORDER, which a
 * plan is checked against before it runs), refusing any other order rather than silently
 * reordering what the recipe says.
 */
export function advantagePlan(ops: readonly AdvantageOp[]): {
  baseline?: Baseline;
  whitened: boolean;
  modulation?: EmpgOptions;
} {
  let last = 0;
  let baseline: Baseline | undefined;
  let whitened = false;
  let modulation: EmpgOptions | undefined;
  for (const op of ops) {
    if (ADVANTAGE_ORDER[op.kind] <= last) {
      throw new Error(`advantage: ${op.kind} is out of order; write [group_norm | rloo] |> [whiten] |> [empg]`);
    }
    last = ADVANTAGE_ORDER[op.kind];
    if (op.kind === "whiten") whitened = true;
    else if (op.kind === "empg") modulation = op;
    else baseline = op;
  }
  return { baseline, whitened, modulation };
}

/** The null control's draws; it needs them, and one advantage per response to permute (E3108). */
function controlStream(input: PipelineInput, config: PipelineConfig): Rng {
  if (config.credit.kind !== "outcome") {
    throw new Error(`the null control permutes one advantage per response, and ${config.credit.kind} credit gives one per token (E3108)`);
  }
  if (!input.controlRng) throw new Error("the null control needs its random stream");
  return input.controlRng;
}

function filterRows(input: PipelineInput, filter: Filter): Uint8Array {
  if (filter.kind === "none") return input.rollouts.kept;
  const { outcome, process } = profScores(input);
  return profFilter(outcome, process, input.rollouts, filter).kept;
}

function profScores(input: PipelineInput): NonNullable<PipelineInput["prof"]> {
  if (!input.prof) throw new Error("the prof filter needs its outcome and process scores");
  return input.prof;
}

/**
 * The sequence score s_i of every row (docs/algorithms.md §1.1): the outcome value, or the sum
 * of the row's step rewards (with an at_end outcome on its last step). What outcome credit
 * reads, and what a group is judged by when its scores all agree (zero-signal.ts).
 */
export function sequenceScores(reward: Reward, r: Rollouts): Float32Array {
  if (reward.granularity === "outcome") return reward.values;
  const steps = reward.atEnd ? addAtEnd(reward.values, reward.atEnd, r) : reward.values;
  return Float32Array.from(rowSums(steps, r.stepOffsets));
}

function rowBaseline(op: Baseline, values: Float32Array, r: Rollouts): RowBaseline {
  return op.kind === "rloo" ? rlooBaseline(values, r.groupSize, r.kept) : groupNormBaseline(values, r.groupSize, r.kept, op);
}

function stepBaseline(op: Baseline, steps: Float32Array, r: Rollouts): RowBaseline {
  return op.kind === "rloo" ? rlooStepBaseline(steps, r) : groupNormStepBaseline(steps, r, op);
}

// An empty response has no first token; it carries 0.
function firstTokenValues(tokens: Float32Array, r: Rollouts): Float32Array {
  const n = rowCount(r);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const first = r.tokenOffsets[i] ?? 0;
    if ((r.tokenOffsets[i + 1] ?? 0) > first) out[i] = tokens[first] ?? 0;
  }
  return out;
}

function add(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length);
  for (let t = 0; t < a.length; t++) out[t] = (a[t] ?? 0) + (b[t] ?? 0);
  return out;
}

// A fresh array (the advantages may still alias `returns`), 0 where the token is masked, the
// row dropped or the row's group one-sided.
function masked(values: Float32Array, r: Rollouts, zeroRows: Uint8Array | undefined): Float32Array {
  const { kept, mask, tokenOffsets } = r;
  const out = new Float32Array(values.length);
  const n = rowCount(r);
  for (let i = 0; i < n; i++) {
    if (!kept[i] || zeroRows?.[i]) continue;
    const end = tokenOffsets[i + 1] ?? 0;
    for (let t = tokenOffsets[i] ?? 0; t < end; t++) if (mask[t]) out[t] = values[t] ?? 0;
  }
  return out;
}
