// Generated from plan.schema.json by plan/generate-types.ts (`npm run plan:types`): edit the schema, not this file.

/**
 * The Plan: the contract between the Roux compiler and its runtime (docs/architecture.md), one file
 * per recipe, written by `roux plan`. It is the runtime's only input, so it holds everything a run
 * needs and nothing that only makes sense next to the source (no spans, no module structure);
 * `version` goes up when an old runtime could misread a new plan.
 *
 * Names are snake_case, as in the recipe language, so a reader of a plan file recognises the recipe
 * in it. Datasets, reward sources and stages are referred to by their plan names.
 *
 * This schema is the one statement of the Plan's shape: plan/plan.ts is generated from it (`npm run
 * plan:types`), and plan/check-plan.ts holds the rules a schema cannot state.
 */
export const PLAN_VERSION = 1;

export interface Plan {
  version: typeof PLAN_VERSION;
  recipe: { name: string; description: string | null };
  /**
   * The recipe's hash: sha256 over the canonical source of the recipe and everything it imports.
   */
  hash: string;
  settings: Settings;
  policy: Model;
  datasets: Dataset[];
  /** Reward sources (verifiers, reward models); expressions over them live in the stages. */
  rewards: RewardSource[];
  /** In run order. */
  stages: Stage[];
}

/** Units by what they count; `step` and `steps` are one unit written two ways in a recipe. */
export type DurationUnit = "steps" | "epochs" | "samples" | "tokens";

export interface Duration {
  value: number;
  unit: DurationUnit;
}

export interface Range {
  lo: number;
  hi: number;
}

/** A constant argument of a task generator or verifier, as the runtime's task code takes it. */
export type Value = number | string | boolean | Range | Duration | { from: number; to: number };

export interface Settings {
  seed: number;
  device: "auto" | "cpu" | "wasm" | "gpu";
  checkpoint_every: Duration;
  /** Folder for run directories, relative to where the run starts. */
  out: string;
}

export type Tokenizer = { kind: "bytes" } | { kind: "chars"; alphabet: string };

export type Model =
  | {
      kind: "transformer";
      name: string;
      layers: number;
      d_model: number;
      heads: number;
      context: number;
      dropout: number;
      tokenizer: Tokenizer;
    }
  /** A hub model: only export targets run it (E3401 on the local runtime). */
  | { kind: "hf"; name: string; hub_name: string; params: number | null };

export type DatasetSource =
  /** A generator of a standard task (`std/arith`'s `problems`), implemented by the runtime. */
  | { kind: "task"; task: string; generator: string; args: Record<string, Value> }
  /** Paths are absolute: a plan file may be run from anywhere. Keys are JSON keys of each line. */
  | { kind: "jsonl"; path: string; prompt: string; response: string | null; answer: string | null };

export type DatasetTransform = { op: "take"; n: number } | { op: "shuffle"; seed: number };

export interface Dataset {
  name: string;
  source: DatasetSource;
  /** Applied in order to the source's examples. */
  transforms: DatasetTransform[];
  /** Whether examples carry responses (what SFT and expert data learn from). */
  responses: boolean;
}

export type RewardSourceKind =
  | { kind: "task"; task: string; verifier: string; args: Record<string, Value> }
  | { kind: "exact_match"; extract: string }
  | { kind: "numeric_match"; extract: string; tol: number }
  | { kind: "regex_match"; pattern: string }
  | { kind: "onnx"; path: string; input: string; output: string; positive: number; steps: string }
  | { kind: "js"; path: string; export: string; range: Range };

export interface RewardSource {
  name: string;
  granularity: Granularity;
  /** The static value range the checker tracked; `binary` means only `lo` and `hi` occur. */
  range: Range;
  binary: boolean;
  source: RewardSourceKind;
}

/** What a reward scores: a whole response, each step of it, or each token. */
export type Granularity = "outcome" | "process" | "token";

/**
 * A reward expression (docs/language.md section 5): inside a stage graph its leaves are node values
 * (`value`), in an eval block they are reward sources scored directly (`reward`).
 */
export type RewardExpr =
  | { op: "value"; node: string }
  | { op: "reward"; name: string }
  | { op: "const"; value: number }
  | { op: "+" | "-" | "*" | "/"; left: RewardExpr; right: RewardExpr }
  | { op: "neg"; operand: RewardExpr }
  | { op: "at_end" | "each_step"; reward: RewardExpr }
  | { op: "renorm"; process: RewardExpr; outcome: RewardExpr }
  | { op: "gate"; process: RewardExpr; on: RewardExpr }
  | { op: "clip"; reward: RewardExpr; lo: number; hi: number }
  | { op: "threshold"; reward: RewardExpr; t: number };

/** Schedules over the stage's step; the runtime converts epochs to steps with the dataset size. */
export type Schedule =
  | { schedule: "constant"; value: number }
  | { schedule: "linear" | "cosine"; from: number; to: number; over: Duration }
  | { schedule: "warmup_cosine"; peak: number; valley: number; warmup: Duration; decay: Duration };

export interface Optimizer {
  kind: "adam";
  lr: Schedule;
  betas: number[];
  weight_decay: number;
  clip_grad: number;
}

export interface Eval {
  data: string;
  every: Duration;
  temperature: number;
  /**
   * Answers drawn per prompt at `temperature` (k). An eval that samples (`temperature` above 0)
   * also answers each prompt greedily; pass@k is reported when k is above 1 (docs/algorithms.md
   * section 10).
   */
  samples: number;
  /** Reported under `label`: the reward's declared name, or the expression written out. */
  rewards: { label: string; expr: RewardExpr }[];
}

/**
 * A dimension of a value's shape: B prompts (or examples) per step, G responses per prompt, T
 * tokens, K steps of a response. `size` when it is fixed, `max` when only bounded.
 */
export interface Dim {
  symbol: "B" | "G" | "T" | "K";
  size?: number;
  max?: number;
}

/** What a node computes; an empty shape is a scalar. */
export interface Output {
  name: string;
  shape: Dim[];
}

export interface SampleNode {
  id: string;
  op: "Sample";
  inputs: string[];
  data: string;
  temperature: number;
  top_p: number;
  max_tokens: number;
  output: Output;
}

export interface ScoreNode {
  id: string;
  op: "Score";
  inputs: string[];
  /** A reward source of `Plan.rewards`; each source is scored once per step (the sharing pass). */
  reward: string;
  output: Output;
}

/** inputs: [outcome, process]. Rows it drops leave the step (docs/algorithms.md section 0). */
export interface FilterNode {
  id: string;
  op: "Filter";
  inputs: string[];
  filter: { kind: "prof"; remove: number; length_penalty: number; step_bounds: Range };
  output: Output;
}

/** The stage's reward expression over scored values; `granularity` is the result's. */
export interface CombineNode {
  id: string;
  op: "Combine";
  inputs: string[];
  expr: RewardExpr;
  granularity: Granularity;
  output: Output;
}

export type Credit = { kind: "outcome" } | { kind: "sum_form"; gamma: number } | { kind: "min_form"; temperature: number; strict: boolean };

/** inputs: [reward, ...filters]. */
export interface CreditNode {
  id: string;
  op: "Credit";
  inputs: string[];
  credit: Credit;
  output: Output;
}

export type AdvantageOp =
  | { kind: "group_norm"; std: boolean; eps: number }
  | { kind: "rloo" | "whiten" }
  | { kind: "empg"; k: number; k_future: number; zeta: number };

export interface AdvantageNode {
  id: string;
  op: "Advantage";
  inputs: string[];
  /** Applied in order (`rloo |> whiten` is rloo, then whiten). */
  ops: AdvantageOp[];
  /**
   * Absent for the method itself. `shuffled_advantages`: the null control of docs/algorithms.md
   * §1.11, the per-response advantages permuted within each group before they reach the tokens.
   */
  control?: "shuffled_advantages";
  output: Output;
}

export type Aggregate = "token_mean" | "seq_mean_token_mean" | "seq_mean_token_sum" | "seq_mean_token_sum_norm";

export interface Kl {
  estimator: "k1" | "k3";
  coef: number;
  /** The policy as it was after the named stage, or at the start (`init`). */
  ref: { kind: "init" } | { kind: "stage"; stage: string };
}

export type Loss =
  | { objective: "ppo"; clip: number; clip_high: number | null; dual_clip: number; entropy: number; aggregate: Aggregate; kl: Kl | null }
  /** SFT: negative log-likelihood of the response tokens, averaged over tokens. */
  | { objective: "nll"; aggregate: "token_mean" };

/** RL inputs: [advantage, sample]; SFT inputs: [batch]. */
export interface LossNode {
  id: string;
  op: "Loss";
  inputs: string[];
  loss: Loss;
  output: Output;
}

export type Expert =
  | { method: "chord"; data: string; mu: Schedule; phi: boolean; ratio: number }
  | { method: "mix"; data: string; weight: Schedule };

/** Expert data mixed into the RL loss (CHORD, docs/algorithms.md section 2); inputs: [loss]. */
export interface ExpertNode {
  id: string;
  op: "Expert";
  inputs: string[];
  expert: Expert;
  output: Output;
}

export interface BatchNode {
  id: string;
  op: "Batch";
  inputs: string[];
  data: string;
  output: Output;
}

/** One optimizer step on the loss it reads; it has no output. */
export interface StepNode {
  id: string;
  op: "Step";
  inputs: string[];
  optimizer: Optimizer;
}

/**
 * A node of a stage's dataflow graph. `inputs` are ids of nodes whose outputs it reads, in the
 * order its op documents; every node of an RL stage also sees the step's rollouts, so they are
 * listed only where the rollouts themselves are the data (Score, Loss). Nodes are in an order the
 * runtime can execute them in.
 */
export type Node =
  | SampleNode
  | ScoreNode
  | FilterNode
  | CombineNode
  | CreditNode
  | AdvantageNode
  | LossNode
  | ExpertNode
  | BatchNode
  | StepNode;

export interface SftStage {
  kind: "sft";
  name: string;
  /** Steps, or epochs over the Batch node's dataset. */
  length: Duration;
  /** Examples per step (B). */
  batch: number;
  eval: Eval | null;
  graph: Node[];
}

/**
 * Groups whose sequence scores all agree are replaced by groups of newly sampled prompts
 * (docs/algorithms.md section 1.10).
 */
export interface DynamicSampling {
  /** Extra sampling rounds of the step's prompt count a step may run, at most. */
  max_refills: number;
}

export interface RlStage {
  kind: "rl";
  name: string;
  length: Duration;
  /** Prompts per step (B). */
  batch: number;
  /** Responses sampled per prompt (G). */
  group: number;
  /** Passes over each step's rollouts. */
  ppo_epochs: number;
  /** DAPO's dynamic sampling; null trains on every group sampled. */
  dynamic_sampling: DynamicSampling | null;
  eval: Eval | null;
  graph: Node[];
}

export type Stage = SftStage | RlStage;
