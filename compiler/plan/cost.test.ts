import { describe, expect, it } from "vitest";
import { estimateCost, parameterCount, THROUGHPUT, vocabulary, type StageCost } from "./cost.js";
import { planOf, recipe } from "./testing.js";

// The test recipe's policy: 2 layers, d_model 64, context 96, the arith alphabet (26 characters).
const L = 2;
const D = 64;
const CONTEXT = 96;
const V = 26 + 1;

function costOf(costs: readonly StageCost[], stage: string): StageCost {
  const cost = costs.find((c) => c.stage === stage);
  if (cost === undefined) throw new Error(`no estimate for stage ${stage}`);
  return cost;
}

describe("cost estimation", () => {
  const plan = planOf(recipe("reward = correct\n loss = ppo { kl = k3(0.001, ref = warmup) }"));
  const sft = costOf(estimateCost(plan), "warmup");
  const rl = costOf(estimateCost(plan), "rl");

  it("counts parameters as 12·L·d² + V·d (tied embeddings) + context·d (positions)", () => {
    expect(plan.policy.kind === "transformer" && vocabulary(plan.policy.tokenizer)).toBe(V);
    expect(sft.params).toBe(12 * L * D * D + V * D + CONTEXT * D);
    expect(plan.policy.kind === "transformer" && parameterCount(plan.policy)).toBe(sft.params);
  });

  it("trains at about 6 FLOPs per matmul weight per token, plus attention", () => {
    const weights = 12 * L * D * D + V * D;
    const tokens = 8 * CONTEXT; // batch 8, sequences filling the context
    // Scores q·k and the weighted sum of v: 2 · 2·d FLOPs per attended position per layer.
    const attention = 4 * L * D * CONTEXT * tokens;
    expect(sft.trainFlops).toBe(3 * (2 * weights * tokens + attention));
    expect(sft.tokens).toEqual([8, CONTEXT]);
  });

  it("samples with a KV cache and trains with the old-policy and reference forwards", () => {
    const weights = 12 * L * D * D + V * D;
    const rows = 4 * 4;
    const causal = rows * (2 * weights * CONTEXT + 4 * L * D * ((CONTEXT * (CONTEXT + 1)) / 2));
    const full = rows * (2 * weights * CONTEXT + 4 * L * D * CONTEXT * CONTEXT);
    expect(rl.rolloutFlops).toBe(causal);
    // Old log-probs, the KL reference, and one PPO epoch of forward + backward.
    expect(rl.trainFlops).toBe((1 + 1 + 3) * full);
    expect(rl.tokens).toEqual([4, 4, 32]);
    expect(rl).toMatchObject({ rewardFlops: 0, rewardKind: "rules" });
  });

  it("counts every round dynamic sampling may sample, and trains on one batch still", () => {
    const dynamic = costOf(
      estimateCost(planOf(recipe("reward = correct\n loss = ppo { kl = k3(0.001, ref = warmup) }\n dynamic_sampling = { max_refills = 3 }"))),
      "rl",
    );
    expect(dynamic.rolloutFlops).toBe(4 * rl.rolloutFlops!);
    expect(dynamic.trainFlops).toBe(rl.trainFlops);
    expect(dynamic.memoryBytes).toBe(rl.memoryBytes);
  });

  it("times a stage from its steps at the measured throughputs", () => {
    expect(rl.steps).toBe(20);
    expect(rl.seconds).toBeCloseTo(20 * (rl.rolloutFlops! / THROUGHPUT.rollout + rl.trainFlops / THROUGHPUT.train));
    expect(sft.seconds).toBeCloseTo((10 * sft.trainFlops) / THROUGHPUT.train);
  });

  it("counts epochs of a task dataset in steps, and leaves a file's unknown", () => {
    const epochs = costOf(estimateCost(planOf(recipe("reward = correct").replace("steps = 10 steps", "epochs = 3 epochs"))), "warmup");
    expect(epochs.steps).toBe(Math.ceil(100 / 8) * 3);
    const file = recipe("reward = correct", `data files = jsonl("d.jsonl") { prompt = "p", response = "r" }\n`).replace(
      "data = demos, steps = 10 steps",
      "data = files, epochs = 1 epochs",
    );
    expect(costOf(estimateCost(planOf(file)), "warmup")).toMatchObject({ steps: null, seconds: null });
  });

  it("grows memory with the batch: optimizer state, then activations", () => {
    const bigger = costOf(estimateCost(planOf(recipe("reward = correct").replace("batch = 8", "batch = 64"))), "warmup");
    expect(sft.memoryBytes).toBeGreaterThan(16 * sft.params);
    expect(bigger.memoryBytes).toBeGreaterThan(sft.memoryBytes);
  });

  it("marks a reward model's cost as unknown", () => {
    const rlModel = costOf(estimateCost(planOf(recipe(`reward = prm`, `reward prm : outcome = onnx("prm.onnx") { input = "ids", output = "p" }\n`))), "rl");
    expect(rlModel).toMatchObject({ rewardKind: "model", rewardFlops: null });
  });
});
