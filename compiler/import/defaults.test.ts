/**
 * `roux import` reads a key the config leaves out as the engine does: with its default at the
 * pinned release (facts/), not the recipe language's. A verl config with `use_kl_loss: true` and
 * no `kl_loss_type` trains with verl's KL, and an omitted weight decay is the engines' 0.01.
 */
import { describe, expect, it } from "vitest";
import { described } from "../export/testing.js";
import type { ImportContext } from "./context.js";
import { importConfig } from "./import.js";
import { memoryContext } from "./testing.js";

/** Every path the configs name exists (as a file), none can be read, and no variable is set. */
const NO_FILES: ImportContext = { ...memoryContext(), exists: () => true };

const VERL = `actor_rollout_ref:
  model:
    path: Qwen/Qwen2.5-0.5B-Instruct
  actor:
    ppo_mini_batch_size: 16
    use_kl_loss: true
    optim:
      lr: 1.0e-06
  rollout:
    n: 8
data:
  train_files: data/train.jsonl
  max_response_length: 256
  train_batch_size: 16
algorithm:
  adv_estimator: grpo
trainer:
  total_training_steps: 100
`;

const TRINITY = `name: t
model:
  model_path: Qwen/Qwen2.5-0.5B-Instruct
algorithm:
  algorithm_type: grpo
  repeat_times: 4
buffer:
  batch_size: 8
  total_steps: 10
  explorer_input:
    taskset:
      path: data/train.jsonl
      rollout_args:
        max_tokens: 128
`;

describe("roux import of a key the config leaves out", () => {
  it("takes verl's default KL estimator, coefficient and weight decay", () => {
    const { recipe, diagnostics } = importConfig("verl.yaml", VERL, "verl", NO_FILES);
    expect(recipe).toContain("loss = ppo { kl = k3(0.001, ref = init) }");
    expect(recipe).toContain("optimizer = adam { lr = 0.000001, weight_decay = 0.01 }");
    expect(diagnostics.map((d) => d.message)).toEqual(["a reward function in a file that cannot be read is not supported by a Roux recipe"]);
  });

  it("takes Trinity-RFT's weight decay, and says the grpo type's default KL loss has no recipe form", () => {
    const { recipe, diagnostics } = importConfig("trinity.yaml", TRINITY, "trinity", NO_FILES);
    expect(recipe).toContain("optimizer = adam { lr = 0.000001, weight_decay = 0.01 }");
    expect(recipe).toContain("advantage = group_norm(std = true)");
    expect(described(diagnostics)).toContain(
      "trinity.yaml:5:3 E3401 Trinity-RFT's `grpo` default KL loss (`kl_loss_fn: k2` when the config names none) is not supported by a Roux recipe",
    );
  });

  it("takes the algorithm type's advantage, and the KL function's default coefficient", () => {
    const config = TRINITY.replace("algorithm_type: grpo", "algorithm_type: rloo\n  kl_loss_fn: low_var_kl");
    const { recipe, diagnostics } = importConfig("trinity.yaml", config, "trinity", NO_FILES);
    expect(recipe).toContain("advantage = rloo");
    expect(recipe).toContain("kl = k3(0.001, ref = init)");
    expect(diagnostics.map((d) => d.code)).toEqual(["E3401"]);
  });
});
