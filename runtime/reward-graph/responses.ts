/**
 * Packed values read one response at a time: what `roux rewards` prints per response and what
 * an eval keeps per answer. The graph itself computes on the flat arrays (run.ts); this only
 * cuts them at each row's offsets.
 */
import { rowSpan, type Rollouts } from "../ops/batch.js";
import type { RewardValue } from "./expr.js";
import { valueOffsets } from "./rollouts.js";
import type { RewardGraphResult } from "./run.js";

/** A reward for one response: a number (outcome) or one per step or token. */
export type ResponseReward = number | Float32Array;

export interface ResponseResult {
  readonly kept: boolean;
  /** Each step's last token, relative to the response. */
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

/** The responses of group `g`, cut one group at a time so a large batch's output is written as it is read. */
export function groupResponses(result: RewardGraphResult, g: number): ResponseResult[] {
  const { groups, groupSize } = result.rollouts;
  if (!Number.isInteger(g) || g < 0 || g >= groups) throw new RangeError(`group ${g} is outside the ${groups} groups of the result`);
  return Array.from({ length: groupSize }, (_, i) => responseResult(result, g * groupSize + i));
}

function responseResult(result: RewardGraphResult, row: number): ResponseResult {
  const { rollouts } = result;
  const [start, end] = rowSpan(rollouts.tokenOffsets, row);
  const [firstStep, endStep] = rowSpan(rollouts.stepOffsets, row);
  return {
    kept: rollouts.kept[row] === 1,
    stepEnds: Array.from(rollouts.stepEnds.subarray(firstStep, endStep), (last) => last - start),
    rewards: new Map([...result.rewards].map(([name, value]) => [name, responseReward(value, rollouts, row)])),
    reward: responseReward(result.reward, rollouts, row),
    returns: result.returns.slice(start, end),
    advantages: result.advantages.slice(start, end),
  };
}

function responseReward(value: RewardValue, rollouts: Rollouts, row: number): ResponseReward {
  const values = rowValues(value, rollouts, row);
  if (value.granularity !== "outcome") return values.slice();
  const [outcome] = values;
  if (outcome === undefined) throw new RangeError(`row ${row} is outside the ${value.values.length} rows of an outcome reward`);
  return outcome;
}

/** Row `row`'s values of a reward: one (outcome), or its steps' or tokens' (a view, not a copy). */
export function rowValues(value: RewardValue, rollouts: Pick<Rollouts, "stepOffsets" | "tokenOffsets">, row: number): Float32Array {
  const offsets = valueOffsets(value.granularity, rollouts);
  const [start, end] = offsets === undefined ? [row, row + 1] : rowSpan(offsets, row);
  return value.values.subarray(start, end);
}
