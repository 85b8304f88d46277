/**
 * Where an export puts the recipe's datasets: each JSONL file is copied into the export's
 * `data/` folder, so the folder is all a Ray job needs (`--working-dir .` uploads it) and the
 * config's paths are relative to it.
 *
 * The layout is the engine's. verl's launch script turns `data/NAME.jsonl` into the parquet
 * table its config names. Trinity-RFT's file reader hands a buffer's `path` to
 * `datasets.load_dataset` (trinity/buffer/reader/file_reader.py, `TaskFileReader` and
 * `ExperienceFileReader`), which reads a local dataset as a folder (a file path, or a relative
 * path with one slash, is looked up on the Hugging Face hub), so each dataset gets a folder of
 * its own holding its one file. `load_dataset` takes a split from a file's name when the name
 * holds a split word (`test.jsonl` is split `test`, and the reader asks for `train`), so the
 * file's name is a neutral one, never the dataset's. The copy's answers are text
 * (answer-text.ts), as `load_dataset` would type a column of numbers as numbers; verl's copy is the
 * file as it is, its launch script reading the answers as text when it writes the parquet table.
 */
import path from "node:path";
import type { Dataset, Plan } from "../../plan/plan.js";
import { answersAsText } from "./answer-text.js";
import type { ExportTarget } from "./engines.js";

/** The one file of a dataset's folder in a Trinity-RFT export: no split word in it. */
export const TRINITY_DATA_FILE = "rows.jsonl";

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

function dataFiles(plan: Plan, target: ExportTarget): DataFile[] {
  return plan.datasets.flatMap((d) => (d.source.kind === "jsonl" ? [dataFile(d, d.source, target)] : []));
}

export function dataFileOf(plan: Plan, target: ExportTarget, dataset: string): DataFile {
  const file = dataFiles(plan, target).find((f) => f.dataset === dataset);
  if (file === undefined) throw new Error(`dataset ${dataset} is not a JSONL file (roux check --target reports this)`);
  return file;
}

/** A file an export copies into its folder. */
export interface DataCopy {
  /** The recipe's file, absolute. */
  from: string;
  /** The copy, relative to the export folder. */
  to: string;
  /** The key whose values the copy writes as text, or null when the copy is the file as it is. */
  answerAsText: string | null;
}

export function dataCopies(plan: Plan, target: ExportTarget): DataCopy[] {
  return dataFiles(plan, target).map((f) => ({ from: f.source, to: f.file, answerAsText: target === "trinity" ? f.answer : null }));
}

/** The text of a copy, from the text of the file it copies; an AnswerTextError names a row that is not a JSON object. */
export function copiedText(copy: DataCopy, source: string): string {
  return copy.answerAsText === null ? source : answersAsText(source, copy.answerAsText, copy.from);
}

function dataFile(d: Dataset, source: Extract<Dataset["source"], { kind: "jsonl" }>, target: ExportTarget): DataFile {
  const name = d.name.replace(/[^A-Za-z0-9_-]/g, "_");
  const file = target === "trinity" ? `data/${name}/${TRINITY_DATA_FILE}` : `data/${name}.jsonl`;
  return { dataset: d.name, source: source.path, file, prompt: source.prompt, response: source.response, answer: source.answer };
}

/** The folder a Trinity-RFT buffer's `path` names: the one that holds the dataset's copy. */
export function trinityFolder(file: DataFile): string {
  return path.posix.dirname(file.file);
}
