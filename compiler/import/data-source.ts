/**
 * The JSON Lines file a recipe reads for a dataset an engine config names. The engines pass the
 * name to Hugging Face `datasets.load_dataset` with a split (Trinity-RFT's `split`, `train` unless
 * given; verl reads files only), so the name may be:
 * - a file: one split, `train` (another split is E2105, as the engine would refuse it);
 * - a folder: `load_dataset` takes the files named for the split (`train.jsonl`, `test-0.jsonl`,
 *   `data/eval.jsonl`), or every file as `train` when none is named for a split; the recipe reads
 *   that one file, so an eval taskset on `split: test` reads the test data, not the training data;
 * - a hub dataset (`openai/gsm8k`: one slash, no file extension, no such path): a recipe reads
 *   local files only, so it is E3401, and the recipe names the file to save the split as, with the
 *   line that saves it written above the declaration.
 */
import type { ConfigReader } from "./config-reader.js";
import type { ImportContext } from "./context.js";

/** The split a config asks for, and the key that names it (none when the engine has no such key). */
export interface DataSplit {
  name: string;
  at?: string;
}

export interface DataFile {
  /** Relative to the config's folder. */
  file: string;
  /** Comment lines for the recipe, above the dataset's declaration. */
  note?: string[];
}

/** The words `datasets` takes a file or folder name to mean a split by (its data-files patterns). */
const SPLIT_WORDS: Readonly<Record<string, readonly string[]>> = {
  train: ["train", "training"],
  validation: ["validation", "valid", "val", "dev"],
  test: ["test", "testing", "eval", "evaluation"],
};

const DATA_EXTENSION = /\.(jsonl|json|parquet|csv|tsv|txt|arrow)$/i;

/** The file for the dataset named `given` at the config key `key`, each problem reported there. */
export function dataFile(r: ConfigReader, context: ImportContext, key: string, given: string, split: DataSplit, subset?: string): DataFile {
  if (isHubName(given, context)) return hubDataset(r, context, key, given, split, subset);
  const inside = context.files(given);
  if (inside === undefined) {
    if (split.name !== "train" && split.at !== undefined) r.outOfRange(split.at, `${given} is one file, which the engine reads as the split \`train\``);
    return { file: given };
  }
  const files = inside.filter((f) => f.endsWith(".jsonl")).sort();
  const named = files.some((f) => Object.keys(SPLIT_WORDS).some((s) => namesSplit(f, s)));
  const candidates = named ? files.filter((f) => namesSplit(f, split.name)) : split.name === "train" ? files : [];
  const [only] = candidates;
  if (only !== undefined && candidates.length === 1) return { file: `${given}/${only}` };
  const fallback = { file: `${given}/${split.name}.jsonl` };
  if (candidates.length > 1) {
    r.unsupported(
      key,
      `a dataset of several files for the split \`${split.name}\``,
      `a recipe reads one JSON Lines file: join ${candidates.join(", ")} into ${fallback.file}`,
    );
  } else if (split.at !== undefined) {
    r.outOfRange(split.at, `${given} has no JSON Lines file for the split \`${split.name}\``);
  } else {
    r.unsupported(
      key,
      `a dataset folder with no JSON Lines file for the split \`${split.name}\``,
      `a recipe reads JSON Lines: write the split as ${fallback.file}`,
    );
  }
  return fallback;
}

/** `openai/gsm8k`: one slash, no data file extension, and nothing at that path. */
function isHubName(given: string, context: ImportContext): boolean {
  return /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(given) && !DATA_EXTENSION.test(given) && !context.exists(given);
}

function hubDataset(r: ConfigReader, context: ImportContext, key: string, name: string, split: DataSplit, subset: string | undefined): DataFile {
  const file = `data/${name.replace("/", "_")}${subset ? `_${subset}` : ""}/${split.name}.jsonl`;
  const target = context.recipePath(file);
  const save = `datasets.load_dataset(${JSON.stringify(name)}${subset ? `, ${JSON.stringify(subset)}` : ""}, split=${JSON.stringify(split.name)}).to_json(${JSON.stringify(target)})`;
  r.unsupported(
    key,
    `the Hugging Face hub dataset \`${name}\` (split \`${split.name}\`)`,
    `a recipe reads local JSON Lines files: save the split as ${target} (\`${save}\` in Python, from the recipe's folder)`,
    [`the recipe reads ${target}, which this import does not write`],
  );
  return {
    file,
    note: [
      `\`${name}\` (split \`${split.name}\`) is a Hugging Face hub dataset, and a recipe reads JSON Lines: save it here with`,
      `python -c 'import datasets; ${save}'`,
    ],
  };
}

/** Whether the file's path (without `.jsonl`) names `split` as `datasets` reads names: a word of it, between separators or digits. */
function namesSplit(file: string, split: string): boolean {
  const stem = file.replace(/\.jsonl$/, "");
  return (SPLIT_WORDS[split] ?? [split]).some((word) => new RegExp(`(^|[-._ 0-9/])${escapeRegExp(word)}([-._ 0-9/]|$)`).test(stem));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
