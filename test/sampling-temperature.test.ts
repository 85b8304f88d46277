/**
 * An RL step of `roux run` trains on the distribution it sampled from (docs/algorithms.md §1.5):
 * the log-probs the training engine scores the step's rollouts with are the ones the sampler
 * drew them with, at the stage's sampling temperature, and the PPO epoch runs at the same
 * temperature, so the first epoch's ratio is 1 and nothing clips. A greedy stage (T = 0) trains
 * at T = 1 and stays finite. One step of the CI recipe test/e2e/recipes/rl.recipe.
 */
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { planOfFile } from "../compiler/plan/testing.js";
import type { Plan } from "../plan/plan.js";
import { largestDifference } from "../runtime/policy/testing.js";
import { rlStages } from "../runtime/reward-graph/run.js";
import { readStageGraph } from "../runtime/reward-graph/stage-graph.js";
import { rlStep } from "../runtime/run/rl-step.js";
import { closeSession, openSession, type Session } from "../runtime/run/session.js";
import { stageShape } from "../runtime/run/stage-clock.js";

/** The CI recipe's plan with its RL stage sampling at `temperature`. */
function planAt(temperature: number): Plan {
  const plan = planOfFile(path.join("test", "e2e", "recipes", "rl.recipe"));
  const [stage] = rlStages(plan);
  const sample = stage?.graph.find((node) => node.op === "Sample");
  if (sample?.op !== "Sample") throw new Error("rl.recipe has no Sample node");
  sample.temperature = temperature;
  return plan;
}

let session: Session | undefined;
afterEach(async () => {
  if (session) await closeSession(session);
  session = undefined;
});

/** Step 1 of the plan's RL stage; the log-probs the sampler reported for each drawn token; the engine's calls. */
async function firstStep(plan: Plan) {
  const opened = await openSession(plan);
  session = opened;
  const [stage] = rlStages(plan);
  if (stage === undefined) throw new Error("rl.recipe has no RL stage");
  // The sampler as it is, told to report each drawn token's log-prob (its `onToken`).
  let drawn: number[][] = [];
  const sample = opened.sampler.sample.bind(opened.sampler);
  vi.spyOn(opened.sampler, "sample").mockImplementation((weights, prompts, settings) => {
    drawn = prompts.map(() => []);
    return sample(weights, prompts, { ...settings, onToken: (row, token) => drawn[row]?.push(token.logprob) });
  });
  const score = vi.spyOn(opened.engine, "score");
  const train = vi.spyOn(opened.engine, "rlStep");
  const shape = stageShape(stage, (name) => opened.datasets.get(name)?.length ?? 0);
  const { metrics } = await rlStep(opened, readStageGraph(plan, stage), 0, shape, 0);
  return { metrics, drawn: drawn.flat(), score, train };
}

describe("an RL step at the sampling temperature", () => {
  for (const temperature of [0.7, 1.3, 1]) {
    it(`T = ${temperature}: the engine scores the rollouts with the log-probs they were drawn with, and trains at T`, async () => {
      const { metrics, drawn, score, train } = await firstStep(planAt(temperature));
      expect(score).toHaveBeenCalledTimes(1);
      const [call] = score.mock.calls;
      const [scored] = score.mock.results;
      expect(call?.[1]).toBe(temperature);
      if (scored?.type !== "return") throw new Error("engine.score threw");
      expect(drawn.length).toBeGreaterThan(8);
      expect(largestDifference(scored.value.logprobs, drawn)).toBeLessThan(1e-4);
      expect(train.mock.calls.map(([input]) => input.temperature)).toEqual([temperature]);
      expect(metrics.clip_fraction).toBe(0);
    });
  }

  it("T = 0 (greedy): the step trains on the untempered distribution and every metric is finite", async () => {
    const { metrics, drawn, score, train } = await firstStep(planAt(0));
    // A greedy draw is a point mass: the sampler reports log-prob 0 for every token.
    expect(drawn.every((lp) => lp === 0)).toBe(true);
    expect(score.mock.calls.map((call) => call[1])).toEqual([1]);
    expect(train.mock.calls.map(([input]) => input.temperature)).toEqual([1]);
    for (const [key, value] of Object.entries(metrics)) if (typeof value === "number") expect(Number.isFinite(value), key).toBe(true);
  });
});
