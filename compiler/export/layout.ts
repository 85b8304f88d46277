/**
 * How an export spreads a step over the cluster's GPUs, and the batch-size rules each engine
 * enforces at start-up (which `roux check --target` reports before a cluster is booked, E2105).
 * verl splits a step's B x G responses evenly over every GPU; Trinity-RFT gives half the GPUs to
 * the explorer (vLLM engines) and half to the trainer, whose mix_chord loss integer-divides both
 * the rollout rows and the expert rows by the trainer's GPU count.
 */
import { chordExpertRows } from "../../plan/expert-rows.js";
import { findNode } from "../plan/nodes.js";
import type { Plan, RlStage } from "../../plan/plan.js";
import type { Use } from "./plan-uses.js";
import type { ExportTarget } from "./engines.js";

/** One node of 8 GPUs: both engines' default cluster. */
export const DEFAULT_GPUS = 8;
export const GPUS_PER_NODE = 8;

/** The prompt budget both exports write: a recipe bounds only the response, and 512 is both engines' default. */
export const PROMPT_TOKENS = 512;

export interface Cluster {
  nodes: number;
  gpusPerNode: number;
}

/** `gpus` as nodes of up to eight. */
export function cluster(gpus: number): Cluster {
  return gpus <= GPUS_PER_NODE ? { nodes: 1, gpusPerNode: gpus } : { nodes: Math.ceil(gpus / GPUS_PER_NODE), gpusPerNode: GPUS_PER_NODE };
}

/** Trinity-RFT's split of an RL stage's GPUs: rollout engines (one GPU each) and the trainer's. */
export function trinitySplit(gpus: number): { explorer: number; trainer: number } {
  const explorer = Math.floor(gpus / 2);
  return { explorer, trainer: gpus - explorer };
}

/**
 * A CHORD stage's rows per step as Trinity-RFT counts them: the prompts sampled (the batch less
 * the expert rows, as the local runtime splits it), their rollouts, and the expert rows.
 */
export function chordRows(stage: RlStage): { prompts: number; rollouts: number; expert: number } | undefined {
  const expert = findNode(stage.graph, "Expert")?.expert;
  if (expert?.method !== "chord") return undefined;
  const rows = chordExpertRows(expert.ratio, stage.batch);
  return { prompts: stage.batch - rows, rollouts: (stage.batch - rows) * stage.group, expert: rows };
}

export interface BatchProblem extends Use {
  what: string;
  reason: string;
  help: string;
}

export function batchProblems(plan: Plan, target: ExportTarget, gpus: number): BatchProblem[] {
  const problems: BatchProblem[] = [];
  if (gpus > GPUS_PER_NODE && gpus % GPUS_PER_NODE !== 0) {
    problems.push({
      stage: 0,
      field: "batch",
      what: "the GPU count",
      reason: `${gpus} GPUs do not fill nodes of ${GPUS_PER_NODE}`,
      help: `use --gpus ${GPUS_PER_NODE * Math.ceil(gpus / GPUS_PER_NODE)}`,
    });
  }
  plan.stages.forEach((stage, index) => {
    const needMultiple = (rows: number, of: number, who: string, what: string) => {
      if (rows % of === 0) return;
      problems.push({
        stage: index,
        field: "batch",
        what,
        reason: `${rows} rows per step do not split evenly over ${who}'s ${of} GPUs`,
        help: `make it a multiple of ${of}, or run on a GPU count that divides ${rows} (--gpus)`,
      });
    };
    if (stage.kind === "sft") {
      needMultiple(stage.batch, gpus, target === "verl" ? "verl" : "Trinity-RFT's trainer", "`batch`");
      return;
    }
    if (target === "verl") {
      needMultiple(stage.batch * stage.group, gpus, "verl", "`batch` x `group`");
      return;
    }
    const { trainer } = trinitySplit(gpus);
    if (gpus < 2) {
      problems.push({
        stage: index,
        field: "batch",
        what: "the GPU count",
        reason: "an RL stage on Trinity-RFT needs a GPU for rollouts and one for training",
        help: "use --gpus 2 or more",
      });
      return;
    }
    const chord = chordRows(stage);
    if (chord === undefined) {
      needMultiple(stage.batch * stage.group, trainer, "Trinity-RFT's trainer", "`batch` x `group`");
    } else {
      needMultiple(chord.rollouts, trainer, "Trinity-RFT's trainer", "the rollout rows (`batch` less CHORD's expert rows, x `group`)");
      needMultiple(chord.expert, trainer, "Trinity-RFT's trainer", "CHORD's expert rows (`ratio` x `batch`)");
    }
  });
  return problems;
}
