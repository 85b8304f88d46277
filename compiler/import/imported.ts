/**
 * What `roux import` reads out of an engine config, before it is written as recipe text: the
 * recipe's declarations as plain data, named as the recipe will name them.
 */
import type { Aggregate, Duration, RewardExpr } from "../../plan/plan.js";
import type { Verifier } from "../export/reward-python.js";

export interface ImportedDataset {
  name: string;
  /** As the recipe writes it: relative to the recipe file. */
  path: string;
  prompt: string;
  response?: string;
  answer?: string;
  /** Comment lines written above the declaration: what the user must do for it to check. */
  note?: string[];
}

export interface ImportedOptimizer {
  lr: number;
  weight_decay?: number;
  betas?: number[];
  clip_grad?: number;
}

export interface ImportedSft {
  kind: "sft";
  name: string;
  data: string;
  length: Duration;
  batch: number;
  optimizer: ImportedOptimizer;
}

export interface ImportedRl {
  kind: "rl";
  name: string;
  data: string;
  length: Duration;
  batch: number;
  group: number;
  sample: { temperature?: number; top_p?: number; max_tokens: number };
  reward: RewardExpr;
  advantage: { kind: "group_norm"; std: boolean; eps?: number } | { kind: "rloo" };
  loss: {
    clip?: number;
    clip_high?: number;
    dual_clip?: number;
    entropy?: number;
    aggregate?: Aggregate;
    kl?: { estimator: "k1" | "k3"; coef: number; ref: string };
  };
  optimizer: ImportedOptimizer;
  ppo_epochs?: number;
  expert?: { data: string; mu: { peak: number; valley: number; warmup: number; decay: number }; phi: boolean; ratio: number };
  eval?: { data: string; every: number; temperature?: number; samples?: number; rewards: string[] };
}

export type ImportedStage = ImportedSft | ImportedRl;

export interface ImportedRecipe {
  name: string;
  description: string;
  model: string;
  datasets: ImportedDataset[];
  rewards: { name: string; source: Verifier }[];
  stages: ImportedStage[];
}
