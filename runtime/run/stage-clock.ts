/**
 * How long a stage runs and which examples each of its steps reads. A stage's length, its
 * eval cadence and its schedules may be in epochs; an epoch is one pass over the stage's
 * dataset at the stage's rows per step, the last step of an epoch taking what is left.
 */
import type { Duration, Stage } from "../../plan/plan.js";
import { chordExpertRows } from "../../plan/expert-rows.js";
import { durationSteps, type StageClock } from "../plan-schedule.js";
import { shuffled } from "../ops/rng.js";
import { streamRng, type Purpose } from "./seeds.js";

export interface StageShape {
  /** The dataset its steps draw from: SFT's batch data, RL's prompts. */
  readonly data: string;
  /** Examples of `data` per step: SFT's batch, RL's prompts (less CHORD's expert rows). */
  readonly rowsPerStep: number;
  /** CHORD's or mix's expert rows per step, 0 without an expert. */
  readonly expertRows: number;
  readonly clock: StageClock;
  readonly steps: number;
}

export function stageShape(stage: Stage, datasetSize: (name: string) => number): StageShape {
  let data: string;
  let rowsPerStep = stage.batch;
  let expertRows = 0;
  if (stage.kind === "sft") {
    data = stage.graph.find((n) => n.op === "Batch")!.data as string;
  } else {
    data = stage.graph.find((n) => n.op === "Sample")!.data as string;
    const expert = stage.graph.find((n) => n.op === "Expert");
    if (expert?.op === "Expert") {
      // CHORD's batch is split as Trinity-RFT splits it: ceil(ratio * batch) expert rows, the
      // other prompt slots sampled (at least one, so the RL loss has rows). `mix` adds a whole
      // batch of expert rows beside the rollouts, as PPO-ptx does.
      expertRows = expert.expert.method === "chord" ? chordExpertRows(expert.expert.ratio, stage.batch) : stage.batch;
      if (expert.expert.method === "chord") rowsPerStep = stage.batch - expertRows;
    }
  }
  const clock = { stepsPerEpoch: Math.ceil(datasetSize(data) / rowsPerStep), batch: stage.batch };
  return { data, rowsPerStep, expertRows, clock, steps: stepsOf(stage.length, clock, `stage \`${stage.name}\`'s length`) };
}

/** A duration of the stage in steps; one in tokens has no step count. */
export function stepsOf(d: Duration, clock: StageClock, what: string): number {
  const steps = durationSteps(d, clock);
  if (steps === undefined) throw new Error(`${what} is ${d.value} ${d.unit}, which is not a number of steps`);
  return steps;
}

/**
 * The examples step `step` (0-based) reads: the epoch's shuffled order, sliced. A function of
 * the run seed, stage and step only, so a resumed run reads the same examples.
 */
export function stepExamples<T extends {}>(examples: readonly T[], rows: number, step: number, seed: number, stageIndex: number, purpose: Purpose): T[] {
  const perEpoch = Math.ceil(examples.length / rows);
  const epoch = Math.floor(step / perEpoch);
  const j = step % perEpoch;
  return shuffled(examples, streamRng(seed, stageIndex, epoch, purpose)).slice(j * rows, (j + 1) * rows);
}

/**
 * The examples extra round `round` (1, 2, ...) of step `step` reads under dynamic sampling
 * (docs/algorithms.md §1.10): `count` of them, from an order of the stage's data drawn for this
 * step alone and leaving out the examples its first round read (unless that leaves none),
 * taken round after round and cycled when the rounds outrun the data. Like `stepExamples`, a
 * function of the run seed, stage and step only: the refills do not move the data order of the
 * steps after, and a resumed run reads the same examples.
 */
export function refillExamples<T extends {}>(
  examples: readonly T[],
  first: readonly T[],
  count: number,
  round: number,
  step: number,
  seed: number,
  stageIndex: number,
): T[] {
  const read = new Set(first);
  const unread = examples.filter((e) => !read.has(e));
  const order = shuffled(unread.length > 0 ? unread : examples, streamRng(seed, stageIndex, step, "refill-order"));
  return Array.from({ length: count }, (_, i) => order[((round - 1) * count + i) % order.length]!);
}
