/**
 * Cost estimation: FLOPs and memory per step of each stage, from the policy's size, and the
 * time a stage would take on this project's machines. Every formula is here, with its source.
 *
 * The figures are ceilings: every sequence is counted at full length (a response at
 * `max_tokens`, a prompt filling the context left over, an SFT example filling the context),
 * because the plan knows lengths only as bounds. The time is optimistic in the other
 * direction: it assumes the engines' measured matmul throughput, which a tiny model with small
 * matrices does not reach.
 */
import type { Dataset, Plan, RewardSource, Stage, Tokenizer } from "../../plan/plan.js";
import { nodeOf } from "./nodes.js";

type Transformer = Extract<Plan["policy"], { kind: "transformer" }>;

/**
 * Measured on this project's 2-core machines in fp32 (docs/architecture.md "The runtime's engines"):
 * onnxruntime-node matmul on 2 threads, which samples rollouts, and tfjs with the wasm backend
 * (one thread), which trains. FLOP/s.
 */
export const THROUGHPUT = { rollout: 220e9, train: 31e9 } as const;

const FP32_BYTES = 4;

export interface StageCost {
  stage: string;
  kind: Stage["kind"];
  params: number;
  /** The tokens a step generates (RL: B, G, max_tokens) or trains on (SFT: B, context). */
  tokens: number[];
  /** Steps in the stage; null when it is counted in epochs of a dataset of unknown size. */
  steps: number | null;
  /** Per step. Null where the stage does not sample (SFT). */
  rolloutFlops: number | null;
  trainFlops: number;
  /** Per step. Rule-based rewards cost no FLOPs to speak of; an ONNX model's size is unknown (null). */
  rewardFlops: number | null;
  /** What scores the stage's rewards: nothing (SFT), rules, or a reward model. */
  rewardKind: "none" | "rules" | "model";
  /** Peak bytes of one step. */
  memoryBytes: number;
  /** The whole stage at THROUGHPUT; null when its steps are unknown. */
  seconds: number | null;
}

/** Token ids: the alphabet's distinct characters (or the 256 bytes) and one end-of-sequence token. */
export function vocabulary(tokenizer: Tokenizer): number {
  return (tokenizer.kind === "bytes" ? 256 : new Set(tokenizer.alphabet).size) + 1;
}

/**
 * Weights that multiply activations: 12·L·d² in the blocks (Kaplan et al. 2020, "Scaling Laws
 * for Neural Language Models", section 2.1: attention 4·d², MLP 8·d² with d_ff = 4·d) plus the
 * tied embedding V·d, which is also the output layer.
 */
function matmulParams(model: Transformer): number {
  return 12 * model.layers * model.d_model ** 2 + vocabulary(model.tokenizer) * model.d_model;
}

/**
 * All parameters: the matmul weights and learned positions (context·d, GPT-2 style). Biases and
 * layer norms, O(L·d), are left out.
 */
export function parameterCount(model: Transformer): number {
  return matmulParams(model) + model.context * model.d_model;
}

/** Attention's products per attended position: the scores q·k and the weighted sum of v. */
const ATTENTION_PRODUCTS = 2;

/**
 * Forward FLOPs of `rows` sequences of `length` tokens: 2 FLOPs per weight per token (Kaplan et
 * al. 2020, Table 1: C_forward = 2N + 2·n_layer·n_ctx·d_attn), counting the output layer that
 * Kaplan's N leaves out, plus attention's two products per attended position and layer: the
 * score q·k (2·d) and the weighted sum of v (2·d), so 4·d where Kaplan's table counts only the
 * scores (Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models", Appendix F,
 * counts both). `causal`: token i attends i positions (decoding with a KV cache computes only
 * those); otherwise every token pays for all `length` (a training step computes the full
 * masked score matrix).
 */
export function forwardFlops(model: Transformer, rows: number, length: number, causal: boolean): number {
  const attended = causal ? (length * (length + 1)) / 2 : length * length;
  return rows * (2 * matmulParams(model) * length + ATTENTION_PRODUCTS * 2 * model.layers * model.d_model * attended);
}

/**
 * A backward pass costs twice the forward (the "6N" rule: 2N forward + 4N backward per token,
 * Kaplan et al. 2020 section 2.1), so a training pass is three forwards.
 */
const TRAIN_PASS = 3;

/** FLOPs of one training step (forward and backward) on `rows` sequences of `length` tokens. */
export function trainStepFlops(model: Transformer, rows: number, length: number): number {
  return TRAIN_PASS * forwardFlops(model, rows, length, false);
}

/**
 * Training activations kept for the backward pass, per layer: s·b·h·(34 + 5·a·s/h) bytes at 16
 * bits (Korthikanti et al. 2022, "Reducing Activation Recomputation in Large Transformer
 * Models", section 4.1, eq. 1), doubled for fp32; plus the logits and their gradient.
 */
function activationBytes(model: Transformer, rows: number, length: number): number {
  const { layers, d_model: h, heads: a } = model;
  const perLayer = length * rows * h * (34 + (5 * a * length) / h) * 2;
  return layers * perLayer + 2 * rows * length * vocabulary(model.tokenizer) * FP32_BYTES;
}

/** Keys and values of every layer for every position of every row (rollouts, with a KV cache). */
function kvCacheBytes(model: Transformer, rows: number, length: number): number {
  return 2 * model.layers * model.d_model * length * rows * FP32_BYTES;
}

/**
 * Weights, gradients and Adam's two moments in fp32: 16 bytes per parameter (Rajbhandari et al.
 * 2020, "ZeRO", section 3.1, without its fp16 copies); a KL reference policy adds its weights.
 */
function stateBytes(params: number, reference: boolean): number {
  return params * FP32_BYTES * (4 + (reference ? 1 : 0));
}

export function estimateCost(plan: Plan): StageCost[] {
  const model = plan.policy;
  if (model.kind !== "transformer") throw new Error(`cost: \`${model.name}\` is a hub model; estimates cover the local transformer only`);
  const datasets = new Map(plan.datasets.map((d) => [d.name, d]));
  const rewards = new Map(plan.rewards.map((r) => [r.name, r]));
  return plan.stages.map((stage) => (stage.kind === "rl" ? rlCost(stage, model, rewards) : sftCost(stage, model, datasets)));
}

function sftCost(stage: Extract<Stage, { kind: "sft" }>, model: Transformer, datasets: ReadonlyMap<string, Dataset>): StageCost {
  const params = parameterCount(model);
  const rows = stage.batch;
  const length = model.context;
  const trainFlops = trainStepFlops(model, rows, length);
  const data = datasets.get(nodeOf(stage.graph, "Batch").data);
  const size = data && datasetSize(data);
  const steps = stage.length.unit === "steps" ? stage.length.value : size == null ? null : Math.ceil(size / rows) * stage.length.value;
  return {
    stage: stage.name,
    kind: stage.kind,
    params,
    tokens: [rows, length],
    steps,
    rolloutFlops: null,
    trainFlops,
    rewardFlops: null,
    rewardKind: "none",
    memoryBytes: stateBytes(params, false) + activationBytes(model, rows, length),
    seconds: steps === null ? null : (steps * trainFlops) / THROUGHPUT.train,
  };
}

/**
 * One RL step: sample B·G responses, then recompute their log-probs with the training engine
 * (the PPO ratio's old policy, as verl does), the reference policy's when there is a KL term,
 * and `ppo_epochs` training passes. CHORD's expert rows take the place of rollout rows in the
 * batch (docs/algorithms.md §2), so they change no count. Dynamic sampling (§1.10) may sample
 * `max_refills` more rounds of B·G responses, and trains on B·G of them still: the ceiling
 * counts every round's sampling.
 */
function rlCost(stage: Extract<Stage, { kind: "rl" }>, model: Transformer, rewards: ReadonlyMap<string, RewardSource>): StageCost {
  const params = parameterCount(model);
  const sample = nodeOf(stage.graph, "Sample");
  const rows = stage.batch * stage.group;
  // A prompt and its response fill at most the context.
  const length = model.context;
  const loss = nodeOf(stage.graph, "Loss").loss;
  const reference = loss.objective === "ppo" && loss.kl !== null;
  const passes = 1 + (reference ? 1 : 0) + TRAIN_PASS * stage.ppo_epochs;
  const rounds = 1 + (stage.dynamic_sampling?.max_refills ?? 0);
  const rolloutFlops = rounds * forwardFlops(model, rows, length, true);
  const trainFlops = passes * forwardFlops(model, rows, length, false);
  const scored = stage.graph.flatMap((n) => (n.op === "Score" ? [rewards.get(n.reward)] : []));
  const rewardKind = scored.some((r) => r?.source.kind === "onnx") ? "model" : "rules";
  const steps = stage.length.value;
  const rollout = params * FP32_BYTES + kvCacheBytes(model, rows, length);
  return {
    stage: stage.name,
    kind: stage.kind,
    params,
    tokens: [stage.batch, stage.group, sample.max_tokens],
    steps,
    rolloutFlops,
    trainFlops,
    rewardFlops: rewardKind === "model" ? null : 0,
    rewardKind,
    // The rollout engine holds its own copy of the weights and the KV cache; it and training
    // alternate, so the peak is the larger of the two beside the optimizer state.
    memoryBytes: stateBytes(params, reference) + Math.max(activationBytes(model, rows, length), rollout),
    seconds: steps * (rolloutFlops / THROUGHPUT.rollout + trainFlops / THROUGHPUT.train),
  };
}

/** Examples in a task generator's output (its `count`), after `take`; unknown for a file. */
function datasetSize(dataset: Dataset): number | null {
  const count = dataset.source.kind === "task" ? dataset.source.args.count : undefined;
  if (typeof count !== "number") return null;
  return dataset.transforms.reduce((n, t) => (t.op === "take" ? Math.min(n, t.n) : n), count);
}
