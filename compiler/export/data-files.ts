/**
 * Where an export puts the recipe's datasets: each JSONL file is copied into the export's
 * `data/` folder, so the folder is all a Ray job needs (`--working-dir .` uploads it) and the
 * config's paths are relative to it.
 */
import type { Dataset, Plan } from "../../plan/plan.js";

export interface DataFile {
  dataset: string;
  /** The recipe's file, absolute (as the Plan records it). */
  source: string;
  /** The copy, relative to the export folder. */
  file: string;
  prompt: string;
  response: string | null;
  answer: string | null;
}

export function dataFiles(plan: Plan): DataFile[] {
  return plan.datasets.flatMap((d) => (d.source.kind === "jsonl" ? [dataFile(d, d.source)] : []));
}

export function dataFileOf(plan: Plan, dataset: string): DataFile {
  const file = dataFiles(plan).find((f) => f.dataset === dataset);
  if (file === undefined) throw new Error(`dataset ${dataset} is not a JSONL file (roux check --target reports this)`);
  return file;
}

function dataFile(d: Dataset, source: Extract<Dataset["source"], { kind: "jsonl" }>): DataFile {
  return {
    dataset: d.name,
    source: source.path,
    file: `data/${d.name.replace(/[^A-Za-z0-9_-]/g, "_")}.jsonl`,
    prompt: source.prompt,
    response: source.response,
    answer: source.answer,
  };
}
