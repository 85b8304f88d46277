/**
 * A Plan's datasets as examples the stages train and evaluate on: a JSONL file's lines (keys
 * as the plan names them) or a standard task's generator (runtime/tasks), then the recipe's
 * `take` and `shuffle` in order, then tokenized with the policy's tokenizer. Every problem is
 * a DatasetError naming the dataset, the file and line or the example, found before the first
 * step runs.
 */
import { promises as fs } from "node:fs";
import type { Dataset } from "../../plan/plan.js";
import { mulberry32, shuffled } from "../ops/rng.js";
import type { Architecture } from "../policy/architecture.js";
import { taskExamples } from "../tasks/datasets.js";
import { TokenizerError, type Tokenizer } from "../tokenizer.js";
import { describeFsError } from "../record/fs-error.js";

export interface Example {
  readonly prompt: string;
  readonly response: string | null;
  readonly answer: string | null;
}

/** An example with its token ids; `target` is the response followed by eos (what SFT learns). */
export interface TokenizedExample extends Example {
  readonly promptIds: readonly number[];
  readonly target: readonly number[] | null;
}

export class DatasetError extends Error {}

export async function loadDataset(dataset: Dataset, tokenizer: Tokenizer, arch: Architecture): Promise<TokenizedExample[]> {
  let examples = await sourceExamples(dataset);
  for (const transform of dataset.transforms) {
    if (transform.op === "take") examples = examples.slice(0, transform.n);
    else examples = shuffled(examples, mulberry32(transform.seed));
  }
  if (examples.length === 0) throw new DatasetError(`dataset \`${dataset.name}\` has no examples`);
  return examples.map((example, i) => tokenize(example, i, dataset, tokenizer, arch));
}

async function sourceExamples(dataset: Dataset): Promise<Example[]> {
  const source = dataset.source;
  if (source.kind === "task") {
    try {
      return taskExamples(source.task, source.generator, source.args);
    } catch (error) {
      throw new DatasetError(`dataset \`${dataset.name}\`: ${(error as Error).message}`);
    }
  }
  let text: string;
  try {
    text = await fs.readFile(source.path, "utf8");
  } catch (error) {
    throw new DatasetError(`dataset \`${dataset.name}\`: cannot read ${source.path}: ${describeFsError(error)}`);
  }
  const examples: Example[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const where = `${source.path}:${i + 1}`;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      throw new DatasetError(`${where}: not a JSON object (${(error as Error).message})`);
    }
    if (typeof record !== "object" || record === null || Array.isArray(record)) throw new DatasetError(`${where}: not a JSON object`);
    const field = (key: string | null): string | null => {
      if (key === null) return null;
      const value = (record as Record<string, unknown>)[key];
      if (typeof value !== "string") {
        throw new DatasetError(`${where}: \`${key}\` should be a string, found ${value === undefined ? "no such key" : JSON.stringify(value)}`);
      }
      return value;
    };
    examples.push({ prompt: field(source.prompt)!, response: field(source.response), answer: field(source.answer) });
  });
  return examples;
}

function tokenize(example: Example, index: number, dataset: Dataset, tokenizer: Tokenizer, arch: Architecture): TokenizedExample {
  const where = `dataset \`${dataset.name}\`, example ${index + 1}`;
  const encode = (text: string, what: string) => {
    try {
      return tokenizer.encode(text);
    } catch (error) {
      if (error instanceof TokenizerError) throw new DatasetError(`${where}: its ${what}: ${error.message}`);
      throw error;
    }
  };
  const promptIds = encode(example.prompt, "prompt");
  const target = example.response === null ? null : [...encode(example.response, "response"), arch.eos];
  const length = promptIds.length + (target?.length ?? 1);
  if (promptIds.length === 0) throw new DatasetError(`${where}: the prompt is empty; the policy needs at least one prompt token to start from`);
  if (length > arch.context) {
    throw new DatasetError(
      `${where}: ${target ? "prompt, response and end of sequence take" : "the prompt and one response token take"} ${length} tokens, ` +
        `and the policy's context is ${arch.context}`,
    );
  }
  return { ...example, promptIds, target };
}
