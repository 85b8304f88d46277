/**
 * A Plan's datasets as examples the stages train and evaluate on: a JSONL file's lines (keys
 * as the plan names them) or a standard task's generator (runtime/tasks), then the recipe's
 * `take` and `shuffle` in order, then tokenized with the policy's tokenizer. Every problem is
 * a DatasetError naming the dataset, the file and line or the example, found before the first
 * step runs. `roux check` reads only a JSONL file's first lines (docs/language.md §8), so a bad
 * line further down is found here: `file:line`, the key and what was found.
 *
 * A JSONL file is read line by line, and only if it is a regular file (plan/regular-file.ts):
 * a FIFO or a symlink to /dev/zero is a DatasetError, not a run that waits or reads forever.
 */
import { open, type FileHandle } from "node:fs/promises";
import type { Dataset, DatasetSource } from "../../plan/plan.js";
import { notRegularFile, OPEN_NO_WAIT } from "../../plan/regular-file.js";
import { mulberry32, shuffled } from "../ops/rng.js";
import type { Architecture } from "../policy/architecture.js";
import { taskExamples } from "../tasks/datasets.js";
import { TokenizerError, type Tokenizer } from "../tokenizer.js";
import { describeFsError } from "../../plan/fs-error.js";

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
  return fileExamples(dataset.name, source);
}

type JsonlSource = Extract<DatasetSource, { kind: "jsonl" }>;

const CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

async function fileExamples(name: string, source: JsonlSource): Promise<Example[]> {
  const cannot = (error: unknown) => new DatasetError(`dataset \`${name}\`: cannot read ${source.path}: ${describeFsError(error)}`);
  let handle: FileHandle;
  try {
    handle = await open(source.path, OPEN_NO_WAIT);
  } catch (error) {
    throw cannot(error);
  }
  try {
    const refused = notRegularFile(await handle.stat());
    if (refused !== undefined) throw new DatasetError(`dataset \`${name}\`: ${source.path} ${refused}`);
    const examples: Example[] = [];
    let lineNumber = 0;
    for await (const line of lines(handle, cannot)) {
      lineNumber += 1;
      const example = lineExample(line, `${source.path}:${lineNumber}`, source);
      if (example !== undefined) examples.push(example);
    }
    return examples;
  } finally {
    await handle.close();
  }
}

/** The file's lines as text, without their `\n`; the last need not end with one. */
async function* lines(handle: FileHandle, cannot: (error: unknown) => DatasetError): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  // The line being read, as the chunks it spans: joined once it ends, so a long line costs its length, not its length squared.
  let parts: Buffer[] = [];
  for (;;) {
    const chunk = Buffer.alloc(CHUNK_BYTES);
    let got: number;
    try {
      ({ bytesRead: got } = await handle.read(chunk, 0, CHUNK_BYTES, null));
    } catch (error) {
      throw cannot(error);
    }
    if (got === 0) break;
    const data = chunk.subarray(0, got);
    let start = 0;
    for (let end = data.indexOf(NEWLINE); end !== -1; end = data.indexOf(NEWLINE, start)) {
      parts.push(data.subarray(start, end));
      yield decoder.decode(Buffer.concat(parts));
      parts = [];
      start = end + 1;
    }
    if (start < got) parts.push(data.subarray(start));
  }
  yield decoder.decode(Buffer.concat(parts));
}

function lineExample(line: string, where: string, source: JsonlSource): Example | undefined {
  if (line.trim() === "") return undefined;
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
  return { prompt: field(source.prompt)!, response: field(source.response), answer: field(source.answer) };
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
