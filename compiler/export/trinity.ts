/**
 * A plan as a Trinity-RFT config: one stage at the top level, or several as `stages` (an SFT
 * warm-up in `train` mode, then RL in `both` mode, each starting from the policy the one before
 * left). CHORD is the `mix_chord` algorithm, its expert data an auxiliary buffer. Only called on
 * plans `roux check --target trinity` accepts.
 *
 * Trinity-RFT runs a stage as the top-level config with each block the stage gives put in place
 * of the top level's whole (`Config.__iter__`), the keys the stage's block leaves out taking the
 * engine's defaults, not the top level's. So every block a stage writes is complete: its
 * `trainer` carries the checkpoint cadence and engine with its gradient clip, and the top level
 * keeps only the blocks no stage writes.
 */
import { findNode, nodeOf } from "../plan/nodes.js";
import type { Aggregate, Eval, Plan, RlStage, SftStage, Stage } from "../../plan/plan.js";
import { dataFileOf, type DataFile, trinityFolder } from "./data-files.js";
import { constantLr, hubName, underOut, type ExportedConfig } from "./exported.js";
import { chordRows, cluster, PROMPT_TOKENS, trinitySplit } from "./layout.js";
import { evalSpec, trinityEvalRewardName, trinityRewardName, unreportedEvalNote } from "./reward-python.js";
import { TRINITY_EXPERT_BUFFER, trinityRlAlgorithm, trinitySftAlgorithm } from "./trinity-algorithm.js";
import { VERL_AGGREGATE } from "./verl.js";

/** Trinity-RFT's `loss_agg_mode` takes verl's names: its trainer is verl's. */
export const TRINITY_AGGREGATE: Readonly<Record<Aggregate, string>> = VERL_AGGREGATE;

/** The workflow that reads a taskset's prompt and answer and calls the stage's reward function. */
export const TRINITY_WORKFLOW = "math_workflow";

export function lowerTrinity(plan: Plan, gpus: number): ExportedConfig {
  const { nodes, gpusPerNode } = cluster(gpus);
  const rl = plan.stages.filter((s): s is RlStage => s.kind === "rl");
  const maxTokens = Math.max(0, ...rl.map((s) => nodeOf(s.graph, "Sample").max_tokens));
  const notes = evalNotes(plan);
  if (rl.some((s) => chordRows(s)))
    notes.push("mix_chord reads its expert rows from the auxiliary buffer `sft_dataset` (buffer.trainer_input.auxiliary_buffers)");
  const stages = plan.stages.map((stage) => lowerStage(plan, stage, gpus));
  const common = {
    project: "roux",
    name: plan.recipe.name,
    // Trinity-RFT writes checkpoints, logs and monitor files to checkpoint_root_dir/project/name.
    checkpoint_root_dir: underOut(),
    model: {
      model_path: hubName(plan),
      custom_chat_template: null,
      max_prompt_tokens: PROMPT_TOKENS,
      ...(maxTokens > 0 ? { max_response_tokens: maxTokens } : {}),
    },
    cluster: { node_num: nodes, gpu_per_node: gpusPerNode },
    // launch.sh switches it to wandb when WANDB_API_KEY is set.
    monitor: { monitor_type: "tensorboard" },
  };
  const settings = {
    explorer: { rollout_model: { engine_num: trinitySplit(gpus).explorer, tensor_parallel_size: 1 }, ...evalInterval(plan.stages) },
    synchronizer: { sync_method: "nccl", sync_interval: 1 },
  };
  const config =
    stages.length === 1
      ? { ...common, ...stages[0], ...settings }
      : { ...common, ...settings, stages: plan.stages.map((stage, i) => ({ stage_name: stage.name, ...stages[i] })) };
  return {
    config,
    notes,
    conversions: [],
    jobDir: `${common.project}/${common.name}`,
    comments: {
      checkpoint_root_dir: "An absolute folder every node can reach: launch.sh sets ROUX_OUT in the job's environment",
      "model.custom_chat_template": "null: the model's own chat template",
    },
  };
}

function lowerStage(plan: Plan, stage: Stage, gpus: number): Record<string, unknown> {
  const optimizer = nodeOf(stage.graph, "Step").optimizer;
  const adam = { lr: constantLr(optimizer.lr), weight_decay: optimizer.weight_decay, betas: optimizer.betas };
  const length = stage.length.unit === "epochs" ? { total_epochs: stage.length.value } : { total_steps: stage.length.value };
  const checkpoints = plan.settings.checkpoint_every;
  const trainer = {
    trainer: { trainer_type: "verl", ...(checkpoints.unit === "steps" ? { save_interval: checkpoints.value } : {}), grad_clip: optimizer.clip_grad },
  };
  return stage.kind === "sft" ? { ...lowerSft(plan, stage, adam, length), ...trainer } : { ...lowerRl(plan, stage, adam, length, gpus), ...trainer };
}

function lowerSft(plan: Plan, stage: SftStage, optimizer: object, length: object): Record<string, unknown> {
  return {
    mode: "train",
    algorithm: trinitySftAlgorithm(optimizer),
    buffer: {
      train_batch_size: stage.batch,
      ...length,
      trainer_input: { experience_buffer: expertBuffer(dataFileOf(plan, "trinity", nodeOf(stage.graph, "Batch").data)) },
    },
  };
}

function lowerRl(plan: Plan, stage: RlStage, optimizer: object, length: object, gpus: number): Record<string, unknown> {
  const sample = nodeOf(stage.graph, "Sample");
  const expert = findNode(stage.graph, "Expert")?.expert;
  const chord = chordRows(stage);
  const rows = chord ? chord.rollouts + chord.expert : stage.batch * stage.group;
  const taskset = (file: DataFile, extra: object) => ({
    name: file.dataset,
    storage_type: "file",
    path: trinityFolder(file),
    format: { prompt_key: file.prompt, ...(file.answer ? { response_key: file.answer } : {}) },
    ...extra,
  });
  return {
    mode: "both",
    algorithm: trinityRlAlgorithm(stage, optimizer, gpus),
    buffer: {
      batch_size: chord ? chord.prompts : stage.batch,
      train_batch_size: rows,
      ...length,
      explorer_input: {
        taskset: taskset(dataFileOf(plan, "trinity", sample.data), {
          rollout_args: { temperature: sample.temperature, top_p: sample.top_p, max_tokens: sample.max_tokens },
        }),
        ...(stage.eval ? { eval_tasksets: [taskset(dataFileOf(plan, "trinity", stage.eval.data), evalTaskset(plan, stage, stage.eval))] } : {}),
        default_workflow_type: TRINITY_WORKFLOW,
        default_reward_fn_type: trinityRewardName(stage.name),
      },
      ...(expert?.method === "chord"
        ? {
            trainer_input: {
              auxiliary_buffers: {
                // Trinity-RFT sizes a buffer's reader by its own total_steps (or total_epochs, one pass
                // by default) and sets neither on an auxiliary buffer: mix_chord reads `chord.expert`
                // rows a step, so the stage's steps, read round the file, last the stage.
                [TRINITY_EXPERT_BUFFER]: { ...expertBuffer(dataFileOf(plan, "trinity", expert.data)), total_steps: rlSteps(stage) },
              },
            },
          }
        : {}),
    },
  };
}

/** A file of prompts with reference responses, as an SFT stage or CHORD reads it. */
function expertBuffer(file: DataFile): Record<string, unknown> {
  return {
    name: file.dataset,
    storage_type: "file",
    path: trinityFolder(file),
    format: { prompt_type: "plaintext", prompt_key: file.prompt, response_key: file.response },
  };
}

/** An RL stage's length: steps, the only unit the language gives it (docs/language.md §4). */
function rlSteps(stage: RlStage): number {
  if (stage.length.unit !== "steps") throw new Error("trinity: the RL stage's length is not in steps");
  return stage.length.value;
}

/** explorer.eval_interval: one cadence for the whole config, the first stage's that evaluates. */
function evalInterval(stages: readonly Stage[]): { eval_interval?: number; eval_on_startup?: boolean } {
  const first: Eval | undefined = stages.find((s) => s.eval)?.eval ?? undefined;
  if (first === undefined) return { eval_on_startup: false };
  return first.every.unit === "steps" ? { eval_interval: first.every.value } : {};
}

/**
 * An eval taskset's own settings: its sampling, its samples per prompt and the reward function
 * that scores it. Trinity-RFT's scheduler sets each task's `rollout_args.n` to the taskset's
 * `repeat_times` (trinity/explorer/scheduler.py, `RunnerWrapper.run_with_retry`), so the samples
 * are `repeat_times` (docs/algorithms.md §10), and the taskset's `default_reward_fn_type` takes
 * the place of the explorer input's (trinity/common/config_validator.py fills only what a taskset
 * leaves unset). Without rewards the module computes, the eval scores with the stage's reward.
 */
function evalTaskset(plan: Plan, stage: RlStage, block: Eval): object {
  return {
    ...(evalSpec(plan, stage).spec ? { default_reward_fn_type: trinityEvalRewardName(stage.name) } : {}),
    rollout_args: { temperature: block.temperature },
    ...(block.samples > 1 ? { repeat_times: block.samples } : {}),
  };
}

/** What the export says of the recipe's eval blocks: where Trinity-RFT reports them, and what it cannot. */
function evalNotes(plan: Plan): string[] {
  const notes: string[] = [];
  for (const stage of plan.stages) {
    if (stage.eval === null) continue;
    if (stage.kind === "sft") {
      notes.push(`Trinity-RFT runs an SFT stage in \`train\` mode, without the explorer that evaluates: stage \`${stage.name}\`'s eval block is not exported`);
      continue;
    }
    const { spec, left } = evalSpec(plan, stage);
    if (spec) notes.push(`Trinity-RFT reports stage \`${stage.name}\`'s eval rewards as eval/${stage.eval.data}/<label>/mean@N`);
    if (left.length > 0) notes.push(unreportedEvalNote(left) + (spec ? "" : `; stage \`${stage.name}\`'s eval reports its training reward instead`));
  }
  return notes;
}
