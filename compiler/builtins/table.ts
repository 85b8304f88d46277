/**
 * The built-ins of docs/language.md §5, as one table. Each entry is the whole contract of a
 * built-in: its parameters (with types, defaults and bounds), its result type, and which
 * parameters may be passed by position. docs/language.md and `roux check --types` read it.
 */
import { T, type Type } from "../types.js";
import { type Builtin, builtin, constant, type Param } from "./shape.js";

const anyReward: Type[] = [T.reward("outcome"), T.reward("process"), T.reward("token")];
const stepsOrEpochs = T.duration("steps", "epochs");

const advantageInput: Param = { name: "input", type: T.advantage, optional: true, doc: "the advantage to transform (the left side of `|>`)" };

export const BUILTINS: readonly Builtin[] = [
  // Models and tokenizers
  builtin(
    "transformer",
    "a decoder-only transformer trained by the local runtime",
    T.model,
    [
      { name: "layers", type: T.int, min: 1, doc: "number of transformer blocks" },
      { name: "d_model", type: T.int, min: 1, doc: "width of the residual stream" },
      { name: "heads", type: T.int, min: 1, doc: "attention heads; must divide d_model" },
      { name: "context", type: T.int, min: 1, doc: "maximum sequence length in tokens" },
      { name: "tokenizer", type: T.tokenizer, doc: "how text becomes tokens" },
      { name: "dropout", type: T.fraction, default: 0, doc: "dropout probability" },
    ],
    { positional: 0, refine: "transformer" },
  ),
  builtin(
    "hf",
    "a hub model, for export targets only",
    T.model,
    [
      { name: "name", type: T.string, doc: "the hub name, e.g. `Qwen/Qwen2.5-7B`" },
      { name: "params", type: T.float, optional: true, above: 0, doc: "parameter count, for cost estimates" },
    ],
    { positional: 1 },
  ),
  constant("bytes", "the byte-level tokenizer", T.tokenizer),
  builtin("chars", "a character tokenizer over an alphabet", T.tokenizer, [{ name: "alphabet", type: T.string, doc: "every character the tokenizer knows" }]),

  // Data
  builtin(
    "jsonl",
    "a dataset read from a JSON Lines file",
    T.dataset,
    [
      { name: "path", type: T.string, doc: "the file, relative to the recipe" },
      { name: "prompt", type: T.string, doc: "the JSON key of the prompt" },
      { name: "response", type: T.string, optional: true, doc: "the JSON key of a reference response" },
      { name: "answer", type: T.string, optional: true, doc: "the JSON key of the answer verifiers compare with" },
    ],
    { positional: 1, refine: "jsonl" },
  ),

  // Reward sources
  builtin(
    "exact_match",
    "1 when the regex's first group equals the dataset's answer, else 0",
    T.reward("outcome"),
    [{ name: "extract", type: T.string, doc: "a regular expression with one group" }],
    { refine: "binaryReward" },
  ),
  builtin(
    "numeric_match",
    "1 when the extracted number equals the answer within `tol`, else 0",
    T.reward("outcome"),
    [
      { name: "extract", type: T.string, doc: "a regular expression with one group" },
      { name: "tol", type: T.float, default: 1e-6, min: 0, doc: "absolute tolerance" },
    ],
    { refine: "binaryReward" },
  ),
  builtin(
    "regex_match",
    "1 when the response matches the pattern, else 0 (format rewards)",
    T.reward("outcome"),
    [{ name: "pattern", type: T.string, doc: "a regular expression" }],
    { refine: "binaryReward" },
  ),
  builtin(
    "onnx",
    "scores from an ONNX model run by onnxruntime",
    T.reward("process"),
    [
      { name: "path", type: T.string, doc: "the .onnx file, relative to the recipe" },
      { name: "input", type: T.string, doc: "the model's input name for token ids" },
      { name: "output", type: T.string, doc: "the model's output name for class probabilities" },
      { name: "positive", type: T.int, default: 1, min: 0, doc: "the class index that means a good step" },
      { name: "steps", type: T.string, default: "\n", doc: "the step separator" },
    ],
    { positional: 1, refine: "onnx", adopts: ["process", "outcome"] },
  ),
  builtin(
    "js",
    "a user function in a local TS/JS module, run in a worker with a time limit",
    T.reward("outcome"),
    [
      { name: "path", type: T.string, doc: "the module, relative to the recipe" },
      { name: "export", type: T.string, doc: "the exported function's name" },
      { name: "range", type: T.range, doc: "the values the function returns, e.g. `0..1`" },
    ],
    { positional: 2, refine: "js", adopts: ["outcome", "process", "token"] },
  ),

  // Reward expressions
  builtin(
    "at_end",
    "an outcome reward placed on the last step",
    T.reward("process"),
    [{ name: "reward", type: T.reward("outcome"), doc: "the outcome reward" }],
    { refine: "lift" },
  ),
  builtin(
    "each_step",
    "an outcome reward broadcast to every step",
    T.reward("process"),
    [{ name: "reward", type: T.reward("outcome"), doc: "the outcome reward" }],
    { refine: "lift" },
  ),
  builtin(
    "prof",
    "PROF: drops responses whose process and outcome rewards disagree",
    T.reward("outcome"),
    [
      { name: "outcome", type: T.reward("outcome"), doc: "a binary outcome reward" },
      { name: "process", type: T.reward("process"), doc: "a process reward in [0, 1]" },
      { name: "remove", type: T.int, min: 0, doc: "responses removed per group; must be < group" },
      { name: "length_penalty", type: T.float, default: 0, min: 0, doc: "critic penalty for a step count outside step_bounds" },
      { name: "step_bounds", type: T.range, default: { range: [2, 30] }, doc: "step counts without penalty" },
    ],
    { refine: "prof" },
  ),
  builtin(
    "renorm",
    "ReNorm: step rewards shifted by the outcome into [-1, 1]",
    T.reward("process"),
    [
      { name: "process", type: T.reward("process"), doc: "a process reward in [0, 1]" },
      { name: "outcome", type: T.reward("outcome"), doc: "a binary outcome reward" },
    ],
    { refine: "renorm" },
  ),
  builtin(
    "gate",
    "Posterior-GRPO: the process reward counts only where the outcome succeeded",
    T.reward("outcome"),
    [
      { name: "process", type: T.reward("process"), doc: "a process reward" },
      { name: "on", type: T.reward("outcome"), doc: "a binary outcome reward" },
    ],
    { refine: "gate" },
  ),
  builtin(
    "clip",
    "a reward clipped to [lo, hi]",
    T.reward("outcome"),
    [
      { name: "reward", type: anyReward, doc: "the reward" },
      { name: "lo", type: T.float, doc: "lower bound" },
      { name: "hi", type: T.float, doc: "upper bound" },
    ],
    { refine: "clip" },
  ),
  builtin(
    "threshold",
    "1 where the reward is at least t, else 0",
    T.reward("outcome"),
    [
      { name: "reward", type: anyReward, doc: "the reward" },
      { name: "t", type: T.float, doc: "the threshold" },
    ],
    { refine: "threshold" },
  ),

  // Credit assignment
  constant("outcome", "the sequence value on every token (needs an outcome reward)", T.credit),
  builtin("sum_form", "step returns summed to the end, discounted by gamma", T.credit, [
    { name: "gamma", type: T.float, default: 1.0, min: 0, max: 1, doc: "discount per step" },
  ]),
  builtin("min_form", "PURE's min-form credit: softmin-weighted step rewards", T.credit, [
    { name: "temperature", type: T.float, default: 0.1, above: 0, doc: "softmin temperature" },
    { name: "strict", type: T.bool, default: false, doc: "use the exact minimum of later steps" },
  ]),

  // Advantages (composed with |>)
  builtin(
    "group_norm",
    "group-relative advantage: (s - mean) / (std + eps)",
    T.advantage,
    [
      advantageInput,
      { name: "std", type: T.bool, default: true, doc: "divide by the group's standard deviation" },
      { name: "eps", type: T.float, default: 1e-6, above: 0, doc: "added to the standard deviation" },
    ],
    { positional: 1 },
  ),
  builtin("rloo", "leave-one-out baseline: s_i - mean of the others", T.advantage, [advantageInput], { positional: 1 }),
  builtin("whiten", "whitening over all tokens of the batch", T.advantage, [advantageInput], { positional: 1 }),
  builtin(
    "empg",
    "entropy-modulated advantages",
    T.advantage,
    [
      advantageInput,
      { name: "k", type: T.float, default: 1, doc: "entropy scaling of the step weight" },
      { name: "k_future", type: T.float, default: 1, doc: "entropy scaling of the future bonus" },
      { name: "zeta", type: T.float, default: 0.05, min: 0, doc: "weight of the future bonus" },
    ],
    { positional: 1 },
  ),

  // Loss
  builtin(
    "ppo",
    "the PPO clipped policy loss",
    T.loss,
    [
      { name: "clip", type: T.float, default: 0.2, above: 0, doc: "clip range (low side, and high side unless clip_high)" },
      { name: "clip_high", type: T.float, optional: true, above: 0, doc: "clip range above 1 (DAPO's clip-higher)" },
      { name: "dual_clip", type: T.float, default: 3.0, above: 1, doc: "dual-clip bound for negative advantages" },
      { name: "kl", type: T.kl, optional: true, doc: "KL penalty to a reference policy" },
      { name: "entropy", type: T.float, default: 0, min: 0, doc: "entropy bonus coefficient" },
      { name: "aggregate", type: T.aggregate, default: { builtin: "token_mean" }, doc: "how token losses are averaged" },
    ],
    { positional: 0 },
  ),
  constant("token_mean", "sum of token losses over the number of tokens", T.aggregate),
  constant("seq_mean_token_mean", "mean over sequences of per-sequence token means", T.aggregate),
  constant("seq_mean_token_sum", "mean over sequences of per-sequence token sums", T.aggregate),
  constant("seq_mean_token_sum_norm", "sum of token losses over B x G x max_tokens (Dr. GRPO)", T.aggregate),
  builtin(
    "k1",
    "KL estimate logp - logp_ref",
    T.kl,
    [
      { name: "coef", type: T.float, min: 0, doc: "the KL coefficient" },
      {
        name: "ref",
        type: [T.stage("sft"), T.stage("rl"), T.init],
        default: { builtin: "init" },
        reference: true,
        doc: "the reference: a stage that ran before, or init",
      },
    ],
    { positional: 1 },
  ),
  builtin(
    "k3",
    "low-variance KL estimate exp(k) - k - 1",
    T.kl,
    [
      { name: "coef", type: T.float, min: 0, doc: "the KL coefficient" },
      {
        name: "ref",
        type: [T.stage("sft"), T.stage("rl"), T.init],
        default: { builtin: "init" },
        reference: true,
        doc: "the reference: a stage that ran before, or init",
      },
    ],
    { positional: 1 },
  ),
  constant("init", "the policy before the first stage", T.init),

  // Expert data inside RL
  builtin(
    "chord",
    "CHORD: SFT on expert data as a weighted auxiliary loss",
    T.expert,
    [
      { name: "data", type: T.dataset, doc: "expert demonstrations (with responses)" },
      { name: "mu", type: T.schedule, doc: "weight of the SFT loss over the stage" },
      { name: "phi", type: T.bool, default: true, doc: "CHORD-phi token weighting p(1 - p)" },
      { name: "ratio", type: T.fraction, default: { percent: 50 }, doc: "share of each batch drawn from the expert data" },
    ],
    { positional: 0, refine: "expertData" },
  ),
  builtin(
    "mix",
    "expert rows mixed into the RL batch with a weight",
    T.expert,
    [
      { name: "data", type: T.dataset, doc: "expert demonstrations (with responses)" },
      { name: "weight", type: T.schedule, doc: "weight of the expert loss" },
    ],
    { positional: 0, refine: "expertData" },
  ),

  // Schedules
  builtin(
    "linear",
    "a linear schedule from a to b",
    T.schedule,
    [
      { name: "values", type: T.transition, doc: "`a -> b`" },
      { name: "over", type: stepsOrEpochs, doc: "how long the change takes" },
    ],
    { positional: 2 },
  ),
  builtin(
    "cosine",
    "a cosine schedule from a to b",
    T.schedule,
    [
      { name: "values", type: T.transition, doc: "`a -> b`" },
      { name: "over", type: stepsOrEpochs, doc: "how long the change takes" },
    ],
    { positional: 2 },
  ),
  builtin(
    "warmup_cosine",
    "linear warm-up to the peak, then cosine decay to the valley (CHORD's mu)",
    T.schedule,
    [
      { name: "values", type: T.transition, doc: "`peak -> valley`" },
      { name: "warmup", type: stepsOrEpochs, doc: "warm-up length" },
      { name: "decay", type: stepsOrEpochs, doc: "decay length" },
    ],
    { positional: 1 },
  ),

  // Optimizer
  builtin(
    "adam",
    "Adam with decoupled weight decay and gradient clipping",
    T.optimizer,
    [
      { name: "lr", type: T.schedule, above: 0, doc: "learning rate (a number or a schedule)" },
      { name: "betas", type: T.list(T.float), default: [0.9, 0.999], doc: "moment decay rates" },
      { name: "weight_decay", type: T.float, default: 0, min: 0, doc: "decoupled weight decay" },
      { name: "clip_grad", type: T.float, default: 1.0, above: 0, doc: "maximum global gradient norm" },
    ],
    { positional: 0, refine: "adam" },
  ),

  // Controls (an RL stage's `control`)
  constant("shuffled_advantages", "the null control: each group's advantages permuted among its responses", T.control),

  // Stages
  builtin(
    "sft",
    "supervised fine-tuning on responses",
    T.stage("sft"),
    [
      { name: "data", type: T.dataset, doc: "prompts with responses" },
      { name: "epochs", type: T.duration("epochs"), optional: true, doc: "passes over the data (or give steps)" },
      { name: "steps", type: T.duration("steps"), optional: true, doc: "optimizer steps (or give epochs)" },
      { name: "batch", type: T.int, min: 1, doc: "examples per step" },
      { name: "optimizer", type: T.optimizer, doc: "the optimizer" },
      { name: "eval", type: { record: "eval" }, optional: true, doc: "periodic evaluation" },
    ],
    { positional: 0, refine: "sft" },
  ),
  builtin(
    "rl",
    "reinforcement learning from rewards on sampled responses",
    T.stage("rl"),
    [
      { name: "data", type: T.dataset, doc: "prompts" },
      { name: "steps", type: T.duration("steps"), doc: "optimizer steps" },
      { name: "batch", type: T.int, min: 1, doc: "prompts per step" },
      { name: "group", type: T.int, min: 1, doc: "responses sampled per prompt" },
      { name: "sample", type: { record: "sample" }, doc: "sampling settings" },
      {
        name: "dynamic_sampling",
        type: { record: "dynamic_sampling" },
        optional: true,
        doc: "replace groups whose rewards all agree with newly sampled ones (DAPO)",
      },
      { name: "reward", type: anyReward, doc: "the reward expression" },
      { name: "credit", type: T.credit, doc: "credit assignment" },
      { name: "advantage", type: T.advantage, doc: "advantage estimator" },
      { name: "loss", type: T.loss, doc: "policy loss" },
      { name: "expert", type: T.expert, optional: true, doc: "expert data mixed into RL (CHORD)" },
      { name: "optimizer", type: T.optimizer, doc: "the optimizer" },
      { name: "ppo_epochs", type: T.int, default: 1, min: 1, doc: "passes over each batch of rollouts" },
      { name: "control", type: T.control, optional: true, doc: "run a control instead of the method (docs/algorithms.md §1.11)" },
      { name: "eval", type: { record: "eval" }, optional: true, doc: "periodic evaluation" },
    ],
    { positional: 0, refine: "rl" },
  ),

  // Devices
  constant("auto", "a GPU when available, else the CPU", T.device),
  constant("cpu", "the CPU (tfjs-node when installed)", T.device),
  constant("wasm", "the portable tfjs WebAssembly backend", T.device),
  constant("gpu", "a CUDA GPU through tfjs-node-gpu", T.device),
];

const BY_NAME: ReadonlyMap<string, Builtin> = new Map(BUILTINS.map((b) => [b.name, b]));

export function lookupBuiltin(name: string): Builtin | undefined {
  return BY_NAME.get(name);
}
