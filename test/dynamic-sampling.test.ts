/**
 * Dynamic sampling in an RL step of `roux run` (docs/algorithms.md §1.10), on the CI recipe
 * test/e2e/recipes/rl.recipe (4 prompts a step, groups of 8, reward 1 for a response starting
 * with `b`). The sampler is replaced by one that answers each call with the responses the test
 * lays out, so which groups agree is known: the step samples more rounds in place of the groups
 * whose rewards all agree and trains on the groups with signal, stops at the cap and says so,
 * and every RL step reports the share of zero-signal groups it sampled first.
 */
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { planOfFile } from "../compiler/plan/testing.js";
import type { Plan } from "../plan/plan.js";
import type { Sequence } from "../runtime/policy/sequence.js";
import { rlStages } from "../runtime/reward-graph/run.js";
import { readStageGraph } from "../runtime/reward-graph/stage-graph.js";
import { rlStep } from "../runtime/run/rl-step.js";
import { closeSession, openSession, type Session } from "../runtime/run/session.js";
import { stageShape } from "../runtime/run/stage-clock.js";

/** How each group of a sampling round answers: every response wrong, every one right, or half and half. */
type Kind = "wrong" | "right" | "mixed";

function planWith(maxRefills: number | null): Plan {
  const plan = planOfFile(path.join("test", "e2e", "recipes", "rl.recipe"));
  const [stage] = rlStages(plan);
  if (stage === undefined) throw new Error("rl.recipe has no RL stage");
  stage.dynamic_sampling = maxRefills === null ? null : { max_refills: maxRefills };
  return plan;
}

let session: Session | undefined;
afterEach(async () => {
  if (session) await closeSession(session);
  session = undefined;
});

/**
 * Step 1 of the plan's RL stage with a sampler whose call r answers group g as `rounds[r][g]`.
 * Returns the metrics, the prompts of each sampling call, and the prompts and responses trained on.
 */
async function firstStep(plan: Plan, rounds: readonly (readonly Kind[])[]) {
  const opened = await openSession(plan);
  session = opened;
  const [stage] = rlStages(plan);
  if (stage === undefined) throw new Error("rl.recipe has no RL stage");
  const [a, b] = opened.tokenizer.encode("ab");
  const eos = opened.arch.eos;
  const calls: number[][][] = [];
  vi.spyOn(opened.sampler, "sample").mockImplementation(async (_weights, prompts) => {
    const kinds = rounds[calls.length];
    if (kinds === undefined) throw new Error(`sampling call ${calls.length + 1} was not expected`);
    calls.push(prompts.map((p) => [...p]));
    return prompts.map((prompt, row): Sequence => {
      const kind = kinds[Math.floor(row / stage.group)];
      const right = kind === "right" || (kind === "mixed" && row % 2 === 0);
      return { prompt, response: [right ? b! : a!, eos] };
    });
  });
  const train = vi.spyOn(opened.engine, "rlStep");
  const shape = stageShape(stage, (name) => opened.datasets.get(name)?.length ?? 0);
  const { metrics } = await rlStep(opened, readStageGraph(plan, stage), 0, shape, 0);
  const trained: readonly Sequence[] = train.mock.calls[0]?.[0].sequences ?? [];
  // One entry per trained group: its prompt, and whether its responses disagree.
  const groups = Array.from({ length: trained.length / stage.group }, (_, g) => {
    const rows = trained.slice(g * stage.group, (g + 1) * stage.group);
    return { prompt: rows[0]!.prompt, mixed: new Set(rows.map((s) => s.response[0])).size > 1 };
  });
  return { metrics, calls, groups, group: stage.group };
}

/** The distinct prompts of a sampling call, in order (G rows each). */
function promptsOf(call: readonly number[][], group: number): number[][] {
  return call.filter((_, row) => row % group === 0);
}

describe("dynamic sampling in an RL step", () => {
  it("replaces the groups whose rewards all agree with groups of newly sampled prompts until the batch is full", async () => {
    const { metrics, calls, groups, group } = await firstStep(planWith(3), [
      ["mixed", "wrong", "right", "wrong"],
      ["mixed", "mixed", "right", "wrong"],
      ["mixed", "mixed", "mixed", "mixed"],
    ]);
    // 1 group with signal, then 2 more, then 4: three rounds fill the 4 slots.
    expect(calls).toHaveLength(3);
    expect(metrics).toMatchObject({ zero_signal_frac: 0.75, refill_rounds: 2, refill_capped: 0 });
    // The first round's mean reward is the policy's, (4 + 0 + 8 + 0) / 32; the batch trained on
    // holds only groups of half right answers.
    expect(metrics).toMatchObject({ sampled_reward: 0.375, reward: 0.5 });
    expect(groups).toHaveLength(4);
    expect(groups.every((g) => g.mixed)).toBe(true);
    // The groups kept are the first with signal, in the order drawn: round 1's first, round 2's
    // first two, round 3's first.
    const [first, second, third] = calls.map((c) => promptsOf(c, group));
    expect(groups.map((g) => g.prompt)).toEqual([first![0], second![0], second![1], third![0]]);
    // The refills draw prompts the first round did not (the data has 8, the step reads 4).
    for (const prompt of second!) expect(first).not.toContainEqual(prompt);
  });

  it("stops at the cap, reports it, and trains on a full batch of the groups it has", async () => {
    const { metrics, calls, groups, group } = await firstStep(planWith(2), [
      ["wrong", "right", "wrong", "mixed"],
      ["wrong", "wrong", "wrong", "wrong"],
      ["right", "right", "right", "right"],
    ]);
    expect(calls).toHaveLength(3);
    expect(metrics).toMatchObject({ zero_signal_frac: 0.75, refill_rounds: 2, refill_capped: 1 });
    // The one group with signal, and the first zero-signal groups drawn to fill the batch: the
    // first round's, in its order.
    expect(groups).toHaveLength(4);
    expect(groups.map((g) => g.prompt)).toEqual(promptsOf(calls[0]!, group));
    expect(groups.map((g) => g.mixed)).toEqual([false, false, false, true]);
  });

  it("without dynamic sampling, samples once, trains on every group and reports the zero-signal share", async () => {
    const { metrics, calls, groups } = await firstStep(planWith(null), [["right", "mixed", "wrong", "wrong"]]);
    expect(calls).toHaveLength(1);
    expect(groups.map((g) => g.mixed)).toEqual([false, true, false, false]);
    expect(metrics.zero_signal_frac).toBe(0.75);
    expect(metrics).not.toHaveProperty("refill_rounds");
    expect(metrics).not.toHaveProperty("refill_capped");
    expect(metrics).not.toHaveProperty("sampled_reward");
  });
});
