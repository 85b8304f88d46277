/**
 * What the import leaves out is said key by key: a key that only tunes how fast or in how much
 * memory the engine trains is a warning that it is not carried (W0004); any other key it cannot
 * map is E3401, inside a stage or an eval taskset as anywhere else.
 */
import { describe, expect, it } from "vitest";
import { described } from "../export/testing.js";
import { importConfig } from "./import.js";
import { CLEAN_TRINITY, CLEAN_VERL, hubRewardModule, memoryContext } from "./testing.js";

const FILES = { "roux_reward.py": hubRewardModule(), "data/train.jsonl": "" };

describe("roux import of tuning keys", () => {
  it("warns that verl's tuning keys are not carried, naming each, and exits clean", () => {
    const config = CLEAN_VERL.replace(
      "  actor:\n",
      "    use_remove_padding: true\n  actor:\n    ppo_micro_batch_size_per_gpu: 4\n    fsdp_config:\n      param_offload: true\n      optimizer_offload: true\n",
    ).replace("    n: 4\n", "    n: 4\n    gpu_memory_utilization: 0.6\n    log_prob_micro_batch_size_per_gpu: 8\n");
    const { diagnostics } = importConfig("verl.yaml", config, "verl", memoryContext(FILES));
    expect(described(diagnostics)).toEqual([
      "verl.yaml:4:5 W0004 `actor_rollout_ref.model.use_remove_padding` is not carried into the recipe",
      "verl.yaml:6:5 W0004 `actor_rollout_ref.actor.ppo_micro_batch_size_per_gpu` is not carried into the recipe",
      "verl.yaml:7:5 W0004 `actor_rollout_ref.actor.fsdp_config` is not carried into the recipe",
      "verl.yaml:16:5 W0004 `actor_rollout_ref.rollout.gpu_memory_utilization` is not carried into the recipe",
      "verl.yaml:17:5 W0004 `actor_rollout_ref.rollout.log_prob_micro_batch_size_per_gpu` is not carried into the recipe",
    ]);
    expect(diagnostics.every((d) => d.severity === "warning")).toBe(true);
  });

  it("warns for Trinity-RFT's tuning keys, also where the import passes over the rest of the block", () => {
    const config = `${CLEAN_TRINITY}explorer:\n  rollout_model:\n    engine_num: 2\n    gpu_memory_utilization: 0.9\ntrainer:\n  ulysses_sequence_parallel_size: 2\n`;
    const { diagnostics } = importConfig("t.yaml", config, "trinity", memoryContext(FILES));
    expect(described(diagnostics)).toEqual([
      "t.yaml:25:5 W0004 `explorer.rollout_model.gpu_memory_utilization` is not carried into the recipe",
      "t.yaml:27:3 W0004 `trainer.ulysses_sequence_parallel_size` is not carried into the recipe",
    ]);
  });
});

describe("roux import of Trinity-RFT's lists", () => {
  const stages = CLEAN_TRINITY.replace(
    "algorithm:\n",
    "stages:\n  - stage_name: rl\n    made_up_key: 1\n    trainer:\n      grad_clip: 1.0\n      fancy: true\nalgorithm:\n",
  );

  it("reports an unknown key inside a stage", () => {
    const { diagnostics } = importConfig("t.yaml", stages, "trinity", memoryContext(FILES));
    expect(described(diagnostics)).toEqual([
      "t.yaml:6:5 E3401 Trinity-RFT's `stages.0.made_up_key` is not supported by a Roux recipe",
      "t.yaml:9:7 E3401 Trinity-RFT's `stages.0.trainer.fancy` is not supported by a Roux recipe",
    ]);
  });

  it("reports an unknown key inside an eval taskset", () => {
    const config = CLEAN_TRINITY.replace(
      "    default_workflow_type",
      "    eval_tasksets:\n      - name: train\n        path: data/train.jsonl\n        made_up_key: 1\n        format:\n          prompt_key: question\n          response_key: answer\n    default_workflow_type",
    );
    const { diagnostics } = importConfig("t.yaml", config, "trinity", memoryContext(FILES));
    expect(described(diagnostics)).toEqual([
      "t.yaml:23:9 E3401 Trinity-RFT's `buffer.explorer_input.eval_tasksets.0.made_up_key` is not supported by a Roux recipe",
    ]);
  });

  it("reports an eval taskset's reward function `roux export` did not write", () => {
    const config = CLEAN_TRINITY.replace(
      "    default_workflow_type",
      "    eval_tasksets:\n      - name: train\n        path: data/train.jsonl\n        default_reward_fn_type: math_reward\n        format:\n          prompt_key: question\n          response_key: answer\n    default_workflow_type",
    );
    const { diagnostics } = importConfig("t.yaml", config, "trinity", memoryContext(FILES));
    expect(described(diagnostics)).toEqual(["t.yaml:23:9 E3401 an eval reward function `roux export` did not write is not supported by a Roux recipe"]);
  });
});
