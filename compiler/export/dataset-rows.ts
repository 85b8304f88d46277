/**
 * `roux check --target`'s rule that each dataset a step reads holds at least the rows one step
 * takes from it. verl's train dataloader drops an incomplete last batch and asserts that it is
 * not empty (verl/trainer/ppo/ray_trainer.py, `RayPPOTrainer._create_dataloader`), so a file
 * smaller than `data.train_batch_size` stops the job before its first step. Trinity-RFT's file
 * reader reads past the end of the file only as far as the stage's length allows
 * (trinity/buffer/reader/file_reader.py, `_HFBatchReader.read_batch`): a stage measured in
 * epochs never fills a batch from it, and one measured in steps repeats rows within a step. A
 * dataset whose rows cannot be counted (a generated task, a file that cannot be read) is left to
 * the rules that report it.
 */
import type { Plan } from "../../plan/plan.js";
import { countJsonlRows } from "../outside/jsonl-rows.js";
import { findNode, nodeOf } from "../plan/nodes.js";
import type { Use } from "./plan-uses.js";
import type { ExportTarget } from "./engines.js";
import { chordRows } from "./layout.js";

export interface SmallDataset extends Use {
  dataset: string;
  rows: number;
  /** The rows one step takes from it. */
  needed: number;
  /** What those rows are to the stage: "prompts", "examples", "expert rows". */
  what: string;
  /** What the engine would do with it. */
  consequence: string;
  help: string;
}

export function smallDatasets(plan: Plan, target: ExportTarget): SmallDataset[] {
  const found: SmallDataset[] = [];
  const need = (stage: number, field: string, dataset: string, needed: number, what: string) => {
    const source = plan.datasets.find((d) => d.name === dataset)?.source;
    if (source?.kind !== "jsonl") return;
    const rows = countJsonlRows(source.path, needed);
    if (typeof rows !== "number" || rows >= needed) return;
    const length = plan.stages[stage]?.length;
    const passes = length?.unit === "epochs" ? length.value : undefined;
    const consequence =
      target === "verl"
        ? "verl drops a last batch that is not full, so its train dataloader would be empty and the job would stop before the first step"
        : passes !== undefined && rows * passes < needed
          ? `Trinity-RFT reads the file ${passes === 1 ? "once" : `${passes} times`} and stops, so the stage would end before it filled its first batch`
          : "Trinity-RFT reads on into the file's next pass, so one step would hold the same rows twice";
    const help = `add rows to the file, or lower ${field === "expert" ? "CHORD's `ratio`" : "`batch`"}`;
    found.push({ stage, field, dataset, rows, needed, what, consequence, help });
  };
  plan.stages.forEach((stage, index) => {
    // verl trains no SFT stage (E3401 says so); Trinity-RFT reads `batch` examples a step.
    if (stage.kind === "sft") {
      if (target === "trinity") need(index, "batch", nodeOf(stage.graph, "Batch").data, stage.batch, "examples");
      return;
    }
    // CHORD's split of the batch is Trinity-RFT's alone (verl has no CHORD: E3401).
    const chord = target === "trinity" ? chordRows(stage) : undefined;
    need(index, "batch", nodeOf(stage.graph, "Sample").data, chord ? chord.prompts : stage.batch, "prompts");
    const expert = findNode(stage.graph, "Expert")?.expert;
    if (chord && expert) need(index, "expert", expert.data, chord.expert, "expert rows");
  });
  return found;
}
