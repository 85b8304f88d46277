/**
 * A plan's one RL stage as a verl config (ppo_trainer.yaml's keys, composed over verl's own
 * defaults by Hydra). Only called on plans `roux check --target verl` accepts: one RL stage,
 * outcome credit, group_norm or rloo, rule verifiers, JSONL data.
 */
import { nodeOf } from "../plan/nodes.js";
import type { Aggregate, Eval, Plan, RlStage } from "../../plan/plan.js";
import { dataFileOf } from "./data-files.js";
import { constantLr, hubName, underOut, type ExportedConfig } from "./exported.js";
import { pinnedFacts } from "./facts/facts.js";
import { cluster, PROMPT_TOKENS } from "./layout.js";
import { evalSpec, REWARD_MODULE, unreportedEvalNote } from "./reward-python.js";
import { verlAdvantage, verlKl } from "./verl-names.js";

/** Roux's loss aggregates by verl's `loss_agg_mode` names. */
export const VERL_AGGREGATE: Readonly<Record<Aggregate, string>> = {
  token_mean: "token-mean",
  seq_mean_token_mean: "seq-mean-token-mean",
  seq_mean_token_sum: "seq-mean-token-sum",
  seq_mean_token_sum_norm: "seq-mean-token-sum-norm",
};

/** Hydra directives that compose the export over verl's packaged ppo_trainer.yaml; not config keys. */
export const VERL_DIRECTIVES = ["hydra", "defaults"] as const;

/** What verl logs to: the console and TensorBoard files in the job's folder; launch.sh adds wandb when WANDB_API_KEY is set. */
export const VERL_LOGGERS = ["console", "tensorboard"] as const;

/**
 * The share of each GPU's memory vLLM may take for rollouts. verl colocates the rollout engine
 * with the FSDP actor on the same GPUs, so this leaves room for the actor's weights, gradients
 * and optimizer state; 0.6 is what verl's own GRPO examples at the pin mostly use.
 */
export const VERL_ROLLOUT_MEMORY = 0.6;

export function lowerVerl(plan: Plan, gpus: number): ExportedConfig {
  const stage = plan.stages.find((s): s is RlStage => s.kind === "rl");
  if (stage === undefined) throw new Error("verl: the plan has no RL stage (roux check --target verl reports this)");
  const sample = nodeOf(stage.graph, "Sample");
  const loss = nodeOf(stage.graph, "Loss").loss;
  if (loss.objective !== "ppo") throw new Error("verl: the RL stage's loss is not PPO");
  const advantage = nodeOf(stage.graph, "Advantage").ops[0];
  const optimizer = nodeOf(stage.graph, "Step").optimizer;
  const train = dataFileOf(plan, "verl", sample.data);
  const evalData = stage.eval ? dataFileOf(plan, "verl", stage.eval.data) : undefined;
  const { nodes, gpusPerNode } = cluster(gpus);
  const tokens = PROMPT_TOKENS + sample.max_tokens;
  const notes: string[] = [];
  if (loss.aggregate === "seq_mean_token_sum_norm") {
    notes.push("verl's seq-mean-token-sum-norm divides by the padded response width of each micro-batch, Roux's by max_tokens (docs/algorithms.md §1)");
  }
  const evals = evalSpec(plan, stage);
  if (evals.spec) notes.push("verl's validation reports each eval reward as val-aux/<dataset>/eval/<label>/mean@N");
  if (evals.left.length > 0) notes.push(unreportedEvalNote(evals.left));
  const parquet = (file: string) => file.replace(/\.jsonl$/, ".parquet");
  const experiment = `${plan.recipe.name}-${stage.name}`;
  const jobDir = `roux/${experiment}`;
  const config = {
    hydra: { searchpath: ["pkg://verl.trainer.config"] },
    defaults: ["ppo_trainer", "_self_"],
    data: {
      train_files: parquet(train.file),
      val_files: parquet((evalData ?? train).file),
      prompt_key: train.prompt,
      max_prompt_length: PROMPT_TOKENS,
      max_response_length: sample.max_tokens,
      train_batch_size: stage.batch,
      filter_overlong_prompts: true,
    },
    actor_rollout_ref: {
      model: { path: hubName(plan), custom_chat_template: null, use_remove_padding: true },
      actor: {
        ppo_mini_batch_size: stage.batch,
        // Token-budgeted micro-batches: no per-GPU micro-batch size to divide the batch by.
        use_dynamic_bsz: true,
        ppo_max_token_len_per_gpu: Math.max(16384, 2 * tokens),
        ppo_epochs: stage.ppo_epochs,
        clip_ratio_low: loss.clip,
        clip_ratio_high: loss.clip_high ?? loss.clip,
        clip_ratio_c: loss.dual_clip,
        loss_agg_mode: VERL_AGGREGATE[loss.aggregate],
        entropy_coeff: loss.entropy,
        use_kl_loss: loss.kl !== null,
        ...(loss.kl ? { kl_loss_coef: loss.kl.coef, kl_loss_type: verlKl(loss.kl.estimator) } : {}),
        grad_clip: optimizer.clip_grad,
        optim: {
          lr: constantLr(optimizer.lr),
          weight_decay: optimizer.weight_decay,
          ...(pinnedFacts().verl.keys["actor_rollout_ref.actor.optim.betas"] ? { betas: optimizer.betas } : {}),
        },
      },
      rollout: {
        name: "vllm",
        n: stage.group,
        temperature: sample.temperature,
        top_p: sample.top_p,
        tensor_model_parallel_size: 1,
        gpu_memory_utilization: VERL_ROLLOUT_MEMORY,
        ...(stage.eval ? { val_kwargs: validation(stage.eval) } : {}),
      },
    },
    algorithm: {
      adv_estimator: verlAdvantage(advantage),
      ...(advantage?.kind === "group_norm" ? { norm_adv_by_std_in_grpo: advantage.std } : {}),
      use_kl_in_reward: false,
    },
    custom_reward_function: { path: REWARD_MODULE, name: "compute_score" },
    trainer: {
      project_name: "roux",
      experiment_name: experiment,
      logger: [...VERL_LOGGERS],
      nnodes: nodes,
      n_gpus_per_node: gpusPerNode,
      // verl loops over epochs and stops at total_training_steps: a step budget needs epochs enough.
      ...(stage.length.unit === "epochs"
        ? { total_epochs: stage.length.value }
        : { total_epochs: stage.length.value, total_training_steps: stage.length.value }),
      test_freq: stage.eval && stage.eval.every.unit === "steps" ? stage.eval.every.value : -1,
      val_before_train: stage.eval !== null,
      save_freq: plan.settings.checkpoint_every.unit === "steps" ? plan.settings.checkpoint_every.value : -1,
      default_local_dir: underOut(jobDir),
    },
  };
  const converted = evalData && evalData.file !== train.file ? [train, evalData] : [train];
  return {
    config,
    notes,
    conversions: converted.map((f) => ({ dataset: f.dataset, from: f.file, to: parquet(f.file), prompt: f.prompt, answer: f.answer })),
    jobDir,
    comments: {
      "actor_rollout_ref.model.custom_chat_template":
        "null: the model's own chat template, with each prompt as one user turn (launch.sh writes the parquet so)",
      "trainer.default_local_dir": "An absolute folder every node can reach: launch.sh sets ROUX_OUT in the job's environment",
    },
  };
}

/** verl's validation sampling: `n` answers a prompt only when the eval asks for more than one (docs/algorithms.md §10). */
function validation(block: Eval): object {
  return { temperature: block.temperature, do_sample: block.temperature > 0, ...(block.samples > 1 ? { n: block.samples } : {}) };
}
