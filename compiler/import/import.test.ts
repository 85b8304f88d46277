/** `roux import`: what it cannot map, or cannot read, is said at the key or value, never thrown. */
import { describe, expect, it } from "vitest";
import { checkForTarget, described } from "../export/testing.js";
import { ConfigError, importConfig } from "./import.js";
import type { ImportContext } from "./context.js";
import { CLEAN_TRINITY, CLEAN_VERL, hubRewardModule, memoryContext } from "./testing.js";

const NO_FILES: ImportContext = { readText: () => undefined, exists: () => true, files: () => undefined, recipePath: (name) => name, env: () => undefined };

const VERL = `actor_rollout_ref:
  model:
    path: Qwen/Qwen2.5-0.5B-Instruct
  actor:
    ppo_mini_batch_size: 16
    clip_ratio_low: 0.2
    loss_agg_mode: token-mean
    use_kl_loss: false
    optim:
      lr: 1.0e-06
    fancy_trick: true
  rollout:
    n: eight
data:
  train_files: data/train.jsonl
  prompt_key: question
  max_response_length: 256
  train_batch_size: 16
algorithm:
  adv_estimator: grpo
custom_reward_function:
  path: my_reward.py
trainer:
  total_training_steps: 100
`;

describe("roux import", () => {
  it("reports each key it cannot map at the key, and a value of the wrong type at the value", () => {
    const { diagnostics, recipe } = importConfig("verl.yaml", VERL, "verl", NO_FILES);
    expect(described(diagnostics)).toEqual([
      "verl.yaml:11:5 E3401 verl's `actor_rollout_ref.actor.fancy_trick` is not supported by a Roux recipe",
      'verl.yaml:13:8 E2101 expected a whole number, found "eight"',
      "verl.yaml:22:3 E3401 a reward function in a file that cannot be read is not supported by a Roux recipe",
    ]);
    // What did map is still written; the reward it could not read is named, not made up, so the
    // recipe does not check until the user declares it.
    expect(recipe).toContain('model policy = hf("Qwen/Qwen2.5-0.5B-Instruct")');
    expect(recipe).toContain("reward = engine_reward");
    expect(recipe).toContain("// `engine_reward` is the engine config's own reward function");
    expect(recipe).not.toMatch(/^reward engine_reward/m);
    expect(described(checkForTarget("imported.recipe", "verl", undefined, recipe).diagnostics)).toContainEqual(
      expect.stringMatching(/E1101 unknown name `engine_reward`/),
    );
  });

  it("reports a missing policy at the top of the file", () => {
    const { diagnostics } = importConfig("verl.yaml", VERL.replace("    path: Qwen/Qwen2.5-0.5B-Instruct\n", ""), "verl", NO_FILES);
    expect(described(diagnostics)).toContain("verl.yaml:2:3 E2102 missing key `actor_rollout_ref.model.path` in the verl config");
  });

  it("passes over the model's own chat template and reports another one at its key", () => {
    const withTemplate = (template: string) =>
      VERL.replace("    path: Qwen/Qwen2.5-0.5B-Instruct\n", `    path: Qwen/Qwen2.5-0.5B-Instruct\n    custom_chat_template: ${template}\n`);
    expect(described(importConfig("verl.yaml", withTemplate("null"), "verl", NO_FILES).diagnostics)).not.toContainEqual(expect.stringContaining("chat"));
    expect(described(importConfig("verl.yaml", withTemplate('"{{ messages }}"'), "verl", NO_FILES).diagnostics)).toContain(
      "verl.yaml:4:5 E3401 a chat template other than the model's own is not supported by a Roux recipe",
    );
  });

  it("refuses text that is not YAML with one line naming the place", () => {
    expect(() => importConfig("bad.yaml", "data: [1, 2\n", "trinity", NO_FILES)).toThrow(ConfigError);
    expect(() => importConfig("bad.yaml", "data: [1, 2\n", "trinity", NO_FILES)).toThrow(/^bad\.yaml:\d+:\d+ is not valid YAML: /);
    expect(() => importConfig("list.yaml", "- 1\n- 2\n", "verl", NO_FILES)).toThrow("list.yaml is not a YAML mapping of config keys");
  });

  it("maps Trinity-RFT's algorithm and buffer keys and reports an unknown KL loss", () => {
    const trinity = `name: t
model:
  model_path: Qwen/Qwen2.5-0.5B-Instruct
algorithm:
  algorithm_type: grpo
  repeat_times: 4
  kl_loss_fn: k2
buffer:
  batch_size: 8
  total_steps: 10
  explorer_input:
    taskset:
      path: data/train.jsonl
      rollout_args:
        max_tokens: 128
`;
    const { diagnostics, recipe } = importConfig("trinity.yaml", trinity, "trinity", NO_FILES);
    expect(described(diagnostics)).toEqual([
      "trinity.yaml:1:1 E3401 a reward function in a file that cannot be read is not supported by a Roux recipe",
      "trinity.yaml:7:3 E3401 Trinity-RFT's `k2` KL loss is not supported by a Roux recipe",
    ]);
    expect(recipe).toContain("group = 4");
    expect(recipe).toContain("sample = { max_tokens = 128 tokens }");
  });

  it("reports an advantage estimator a recipe has no counterpart for as not supported, not as a wrong type", () => {
    const files = memoryContext({ "roux_reward.py": hubRewardModule(), "data/train.jsonl": "" });
    const verl = importConfig("verl.yaml", CLEAN_VERL.replace("adv_estimator: grpo", "adv_estimator: gae"), "verl", files);
    expect(described(verl.diagnostics)).toEqual(["verl.yaml:17:3 E3401 verl's `gae` advantage estimator is not supported by a Roux recipe"]);
    expect(verl.diagnostics[0]?.help).toContain("critic");
    const trinity = importConfig("t.yaml", CLEAN_TRINITY.replace("  repeat_times: 4\n", "  repeat_times: 4\n  advantage_fn: ppo\n"), "trinity", files);
    expect(described(trinity.diagnostics)).toEqual(["t.yaml:7:3 E3401 Trinity-RFT's `ppo` advantage function is not supported by a Roux recipe"]);
    const ppo = importConfig("t.yaml", CLEAN_TRINITY.replace("algorithm_type: grpo", "algorithm_type: ppo"), "trinity", files);
    expect(described(ppo.diagnostics)).toEqual(["t.yaml:5:3 E3401 Trinity-RFT's `ppo` algorithm is not supported by a Roux recipe"]);
  });
});
