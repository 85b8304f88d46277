/**
 * Test support for `roux import`: the files around a config and the environment, held in memory
 * (a folder is every file whose path starts with it), and the reward module `roux export`
 * writes, so that a test config's reward imports cleanly.
 */
import { rewardModule } from "../export/reward-python.js";
import { checkForTarget } from "../export/testing.js";
import type { ImportContext } from "./context.js";

export function memoryContext(files: Record<string, string> = {}, env: Record<string, string> = {}): ImportContext {
  const paths = Object.keys(files);
  return {
    readText: (file) => files[file],
    exists: (file) => file in files || paths.some((p) => p.startsWith(`${file}/`)),
    files: (folder) => {
      const inside = paths.filter((p) => p.startsWith(`${folder}/`)).map((p) => p.slice(folder.length + 1));
      return inside.length === 0 ? undefined : inside;
    },
    recipePath: (file) => file,
    env: (name) => env[name],
  };
}

/** The reward module `roux export` writes for the hub GRPO recipe (its stage is `rl`). */
export function hubRewardModule(): string {
  return rewardModule(checkForTarget("recipes/hub/grpo.recipe", "verl").plan!, "verl");
}

/** A verl config that imports with no diagnostic, given `roux_reward.py` and `data/train.jsonl`. */
export const CLEAN_VERL = `actor_rollout_ref:
  model:
    path: Qwen/Qwen2.5-0.5B-Instruct
  actor:
    ppo_mini_batch_size: 16
    use_kl_loss: false
    optim:
      lr: 1.0e-06
  rollout:
    n: 4
data:
  train_files: data/train.parquet
  prompt_key: question
  max_response_length: 256
  train_batch_size: 16
algorithm:
  adv_estimator: grpo
custom_reward_function:
  path: roux_reward.py
trainer:
  total_training_steps: 100
`;

/**
 * A Trinity-RFT GRPO config that imports with no diagnostic, given `roux_reward.py` and
 * `data/train.jsonl`. It names its KL loss: the grpo type's default at the pin (`k2`) has no
 * recipe form.
 */
export const CLEAN_TRINITY = `name: t
model:
  model_path: Qwen/Qwen2.5-0.5B-Instruct
algorithm:
  algorithm_type: grpo
  repeat_times: 4
  kl_loss_fn: none
buffer:
  batch_size: 8
  total_steps: 10
  explorer_input:
    taskset:
      name: train
      path: data/train.jsonl
      format:
        prompt_key: question
        response_key: answer
      rollout_args:
        max_tokens: 128
    default_workflow_type: math_workflow
    default_reward_fn_type: roux_rl
`;
