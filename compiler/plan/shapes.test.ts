import { describe, expect, it } from "vitest";
import { outputText } from "../backends/label.js";
import type { Stage } from "../../plan/plan.js";
import { nodeOf } from "./nodes.js";
import { planOf, recipe, stageNamed } from "./testing.js";

function shapes(stage: Stage): Record<string, string> {
  return Object.fromEntries(stage.graph.flatMap((n) => ("output" in n ? [[n.id, outputText(n.output)]] : [])));
}

describe("shape inference", () => {
  const plan = planOf(recipe("reward = prof(outcome = correct, process = steps, remove = 2)\n expert = chord { data = demos, mu = 0.1 }"));

  it("shapes every output of an RL stage in B, G, T and K", () => {
    expect(shapes(stageNamed(plan, "rl"))).toEqual({
      sample: "rollouts[B,G,T≤32]",
      "score.correct": "y[B,G]",
      "score.steps": "v[B,G,K]",
      filter: "keep[B,G]",
      credit: "returns[B,G,T≤32]",
      advantage: "A[B,G,T≤32]",
      loss: "loss",
      expert: "loss",
    });
  });

  it("binds B and G to the stage's batch and group, T to max_tokens", () => {
    const rl = stageNamed(plan, "rl");
    const sample = nodeOf(rl.graph, "Sample");
    expect("output" in sample && sample.output.shape).toEqual([
      { symbol: "B", size: 4 },
      { symbol: "G", size: 4 },
      { symbol: "T", max: 32 },
    ]);
  });

  it("bounds an SFT batch's tokens by the model's context", () => {
    expect(shapes(stageNamed(plan, "warmup"))).toEqual({ batch: "tokens[B,T≤96]", loss: "loss" });
  });

  it("gives a combined reward the shape of its granularity", () => {
    const rl = stageNamed(planOf(recipe("reward = each_step(correct) + steps\n credit = sum_form")), "rl");
    expect(shapes(rl).combine).toBe("r[B,G,K]");
  });
});
