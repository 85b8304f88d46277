/**
 * `onnx(path) { input, output, positive, steps }` (docs/language.md §5): a reward model run by
 * onnxruntime-node (docs/architecture.md "The runtime's engines"), one run per batch.
 *
 * The model. `input` takes the token ids, int64 (or int32) of shape [batch, tokens]. When the
 * model also has an input named `attention_mask` (the Hugging Face convention), it gets 1 at
 * every real token and 0 at padding, in the type it declares (int64, int32, float or bool);
 * any other input is an error, since there is nothing to feed it. `output` is read as
 * probabilities, one of two shapes:
 *   - [batch, tokens, classes]: the score at a token is the probability of class `positive`;
 *   - [batch, tokens]: the score at a token is the value itself (`positive` is not used).
 * Any other shape fails the batch, and a value outside [0, 1] fails its sample, saying so: an
 * output of logits must end in a Softmax (or Sigmoid) to be a reward model's output.
 *
 * Which tokens are read (docs/algorithms.md "Notation": a step's reward sits on the step's last token): a
 * process source reads each step's last token, `sample.stepEnds`, so its values line up with
 * every other process reward of the run; an outcome source reads the response's last token; a
 * token source reads every token. The model sees the response's tokens only, as the samples
 * carry them; a sample without tokens (`tokens: null`) fails, since the caller tokenizes.
 *
 * Batching: the responses of a batch are padded on the right to the longest, with `padId`
 * (default 0). Right padding leaves every real token where it is, and a causal model (each
 * position sees only those before it) gives the same scores as when run one by one; a model
 * that looks ahead must take `attention_mask` for that to hold, otherwise it sees the padding.
 * When a batch's run fails (a token id past the model's vocabulary, say), its responses are run
 * one by one, so only the ones the model cannot take fail.
 *
 * The step separator: `steps` (default "\n") must be the runtime's, which splits the steps that
 * `stepEnds` gives; a process source with another one is refused when the scorer is made, since
 * its steps could not line up with the run's.
 */
import { access } from "node:fs/promises";
import { basename } from "node:path";
import type { InferenceSession, Tensor } from "onnxruntime-node";
import type { RewardSource as PlanRewardSource } from "../../plan/plan.js";
import { STEP_SEPARATOR } from "../tokenizer.js";
import { allFailed, ResultBuilder, type Granularity } from "./result.js";
import type { RewardScorer, ScoreResult, ScoringSample } from "./source.js";

export interface OnnxScorerOptions {
  /** The token id written after the end of a shorter response. Default 0. */
  padId?: number;
  /** onnxruntime's threads within an operator. Default onnxruntime's choice (one per core). */
  threads?: number;
  /** The runtime's step separator, which `steps` must equal. Default "\n". */
  separator?: string;
}

export const ATTENTION_MASK = "attention_mask";

type OnnxKind = Extract<PlanRewardSource["source"], { kind: "onnx" }>;
type Ort = typeof import("onnxruntime-node");
type IdType = "int64" | "int32";
type MaskType = IdType | "float32" | "bool";

interface Model {
  ort: Ort;
  session: InferenceSession;
  ids: IdType;
  mask: MaskType | null;
}

/** One response in the batch: its tokens and the positions to read. */
interface Row {
  sample: number;
  tokens: readonly number[];
  positions: readonly number[];
}

/** Per row: the scores read, or why its sample fails. */
type RowScores = number[] | string;
/** A row and its scores, or why it has none. */
interface ScoredRow {
  readonly row: Row;
  readonly values: RowScores;
}

export function createOnnxScorer(source: PlanRewardSource, options: OnnxScorerOptions = {}): RewardScorer {
  const kind = source.source;
  if (kind.kind !== "onnx") throw new Error(`reward source \`${source.name}\` (${kind.kind}) is not an onnx(...) source`);
  const separator = options.separator ?? STEP_SEPARATOR;
  if (source.granularity === "process" && kind.steps !== separator) {
    throw new Error(
      `reward source \`${source.name}\`: the model's steps are separated by ${JSON.stringify(kind.steps)}, ` +
        `but the run splits steps on ${JSON.stringify(separator)}; a process reward model must use the run's separator`,
    );
  }
  if (!Number.isInteger(kind.positive) || kind.positive < 0) {
    throw new Error(`reward source \`${source.name}\`: positive = ${kind.positive} is not a class index`);
  }
  const padId = options.padId ?? 0;
  if (!Number.isInteger(padId) || padId < 0) throw new Error(`onnx scorer: padId ${padId} is not a token id`);
  return new OnnxScorer(source, kind, padId, options.threads);
}

class OnnxScorer implements RewardScorer {
  private model: Promise<Model | string> | null = null;
  private closed = false;
  private readonly file: string;

  constructor(
    readonly source: PlanRewardSource,
    private readonly kind: OnnxKind,
    private readonly padId: number,
    private readonly threads: number | undefined,
  ) {
    this.file = basename(kind.path);
  }

  async score(samples: readonly ScoringSample[]): Promise<ScoreResult> {
    if (this.closed) throw new Error(`reward source \`${this.source.name}\`: score() after close()`);
    const granularity = this.source.granularity;
    const model = await this.open();
    if (typeof model === "string") return allFailed(granularity, samples, model);
    const result = new ResultBuilder(granularity, samples);
    const rows: Row[] = [];
    samples.forEach((sample, i) => {
      const row = rowOf(granularity, sample, i);
      if (typeof row === "string") result.fail(i, row);
      else if (row.positions.length === 0) result.set(i, []);
      else rows.push(row);
    });
    if (rows.length === 0) return result.result();
    let scores = await this.run(model, rows);
    if (scores.kind === "failed") {
      // Find the responses the model cannot take: run each alone.
      const alone: ScoredRow[] = [];
      for (const row of rows) {
        const one = await this.run(model, [row]);
        alone.push(...(one.kind === "scored" ? one.rows : [{ row, values: one.reason }]));
      }
      scores = { kind: "scored", rows: alone };
    }
    const scored = scores.kind === "scored" ? scores.rows : rows.map((row) => ({ row, values: scores.reason }));
    for (const { row, values } of scored) {
      if (typeof values === "string") result.fail(row.sample, values);
      else result.set(row.sample, values);
    }
    return result.result();
  }

  async close(): Promise<void> {
    this.closed = true;
    const model = await this.model;
    this.model = null;
    if (model !== null && typeof model !== "string") await model.session.release();
  }

  /** The model, opened on first use; a failure to open is retried by the next batch. */
  private async open(): Promise<Model | string> {
    this.model ??= openModel(this.kind, this.threads);
    const model = await this.model;
    if (typeof model === "string") this.model = null;
    return model;
  }

  /**
   * One run over `rows`. `failed`: the run itself failed (worth retrying row by row);
   * `refused`: the output is not what a reward model gives (the same for every row).
   */
  private async run(model: Model, rows: readonly Row[]): Promise<{ kind: "scored"; rows: ScoredRow[] } | { kind: "failed" | "refused"; reason: string }> {
    const width = Math.max(...rows.map((row) => row.tokens.length));
    const feeds: Record<string, Tensor> = { [this.kind.input]: idsTensor(model, rows, width, this.padId) };
    if (model.mask !== null) feeds[ATTENTION_MASK] = maskTensor(model.ort, model.mask, rows, width);
    let output: Tensor;
    try {
      const outputs = await model.session.run(feeds, [this.kind.output]);
      output = outputs[this.kind.output] as Tensor;
    } catch (error) {
      return { kind: "failed", reason: `running ${this.file} failed: ${messageOf(error)}` };
    }
    try {
      const read = this.reader(output, rows.length, width);
      if (typeof read === "string") return { kind: "refused", reason: read };
      return { kind: "scored", rows: rows.map((row, r) => ({ row, values: probabilities(row, (t) => read(r, t), this.kind.output) })) };
    } finally {
      output.dispose();
    }
  }

  /** Reads the score at (row, token) from the output, or says why the output cannot be read. */
  private reader(output: Tensor, batch: number, width: number): ((row: number, token: number) => number) | string {
    const name = `output "${this.kind.output}" of ${this.file}`;
    const shape = `[${output.dims.join(", ")}]`;
    if (output.type !== "float32" && output.type !== "float64")
      return `${name} is ${output.type}; a reward model's output must be float32 or float64 probabilities`;
    const data = output.data as Float32Array | Float64Array;
    const [rows, tokens, classes] = output.dims;
    if ((output.dims.length !== 2 && output.dims.length !== 3) || rows !== batch || tokens !== width) {
      return (
        `${name} has shape ${shape} for ${batch} response${batch === 1 ? "" : "s"} of up to ${width} tokens; ` +
        `expected [${batch}, ${width}, classes] or [${batch}, ${width}]`
      );
    }
    // The dims were checked, so a (row < batch, token < width) reads inside the data.
    if (classes === undefined) return (row, token) => data[row * width + token]!;
    const positive = this.kind.positive;
    if (positive >= classes)
      return `${name} has ${classes} class${classes === 1 ? "" : "es"} (shape ${shape}); positive = ${positive} needs at least ${positive + 1}`;
    return (row, token) => data[(row * width + token) * classes + positive]!;
  }
}

/** The row of a sample, or why it cannot be scored. */
function rowOf(granularity: Granularity, sample: ScoringSample, index: number): Row | string {
  const tokens = sample.tokens;
  if (tokens === null) return "the sample has no token ids; an onnx reward model scores tokens";
  const bad = tokens.findIndex((id) => !Number.isInteger(id) || id < 0 || id > 0x7fffffff);
  if (bad >= 0) return `token ${bad} of the response has id ${tokens[bad]}, which is not a token id`;
  const last = tokens.length - 1;
  switch (granularity) {
    case "outcome":
      if (tokens.length === 0) return "the response is empty: an outcome reward model reads the last token, and there is none";
      return { sample: index, tokens, positions: [last] };
    case "token":
      return { sample: index, tokens, positions: tokens.map((_, t) => t) };
    case "process": {
      let previous = -1;
      for (const end of sample.stepEnds) {
        if (!Number.isInteger(end) || end <= previous || end > last) {
          return `step ends [${sample.stepEnds.join(", ")}] are not increasing positions in the response's ${tokens.length} tokens`;
        }
        previous = end;
      }
      return { sample: index, tokens, positions: sample.stepEnds };
    }
  }
}

/** The row's scores, or why they are not probabilities. */
function probabilities(row: Row, at: (token: number) => number, output: string): RowScores {
  const values: number[] = [];
  for (const t of row.positions) {
    const p = at(t);
    // Float32 rounding may put a softmax a hair outside [0, 1].
    if (!(p >= -1e-6 && p <= 1 + 1e-6)) {
      return (
        `output "${output}" at token ${t} is ${p}, not a probability in [0, 1] ` +
        "(a reward model's output must be probabilities: end the graph in Softmax or Sigmoid)"
      );
    }
    values.push(Math.min(1, Math.max(0, p)));
  }
  return values;
}

async function openModel(kind: OnnxKind, threads: number | undefined): Promise<Model | string> {
  const file = basename(kind.path);
  try {
    await access(kind.path);
  } catch {
    return `the ONNX model ${kind.path} does not exist or cannot be read`;
  }
  let ort: Ort;
  try {
    ort = await import("onnxruntime-node");
  } catch (error) {
    return `onnxruntime-node could not be loaded: ${messageOf(error)}`;
  }
  let session: InferenceSession;
  try {
    session = await ort.InferenceSession.create(kind.path, {
      executionProviders: ["cpu"],
      // Fatal only: a failing run is reported per sample, so onnxruntime's own log of it (and its
      // warnings about the graph) would only repeat it on the terminal.
      logSeverityLevel: 4,
      ...(threads === undefined ? {} : { intraOpNumThreads: threads }),
    });
  } catch (error) {
    return `could not open the ONNX model ${file}: ${messageOf(error)}`;
  }
  const problem = checkSignature(session, kind, file);
  if (typeof problem === "string") {
    await session.release();
    return problem;
  }
  return { ort, session, ...problem };
}

/** The input types to feed, or what the model's inputs and outputs lack. */
function checkSignature(session: InferenceSession, kind: OnnxKind, file: string): { ids: IdType; mask: MaskType | null } | string {
  const inputs = new Map(session.inputMetadata.map((meta) => [meta.name, meta]));
  const listed = (names: readonly string[]) => names.map((name) => `"${name}"`).join(", ");
  const ids = inputs.get(kind.input);
  if (ids === undefined) return `${file} has no input "${kind.input}" (its inputs: ${listed(session.inputNames)})`;
  if (!ids.isTensor || (ids.type !== "int64" && ids.type !== "int32")) {
    return `input "${kind.input}" of ${file} takes ${ids.isTensor ? ids.type : "non-tensor"} values; token ids are fed as int64 or int32`;
  }
  if (ids.shape.length !== 0 && ids.shape.length !== 2)
    return `input "${kind.input}" of ${file} has ${ids.shape.length} dimensions; token ids are fed as [batch, tokens]`;
  const mask = inputs.get(ATTENTION_MASK);
  if (mask !== undefined && (!mask.isTensor || !["int64", "int32", "float32", "bool"].includes(mask.type))) {
    return `input "${ATTENTION_MASK}" of ${file} takes ${mask.isTensor ? mask.type : "non-tensor"} values; the mask is fed as int64, int32, float or bool`;
  }
  const others = session.inputNames.filter((name) => name !== kind.input && name !== ATTENTION_MASK);
  if (others.length > 0) {
    return (
      `${file} also needs input${others.length === 1 ? "" : "s"} ${listed(others)}; ` +
      `roux feeds only the token ids ("${kind.input}") and an "${ATTENTION_MASK}"`
    );
  }
  if (!session.outputNames.includes(kind.output)) return `${file} has no output "${kind.output}" (its outputs: ${listed(session.outputNames)})`;
  return { ids: ids.type, mask: mask?.isTensor ? (mask.type as MaskType) : null };
}

function idsTensor(model: Model, rows: readonly Row[], width: number, padId: number): Tensor {
  const size = rows.length * width;
  const dims = [rows.length, width];
  if (model.ids === "int32") {
    const data = new Int32Array(size).fill(padId);
    rows.forEach((row, r) => {
      data.set(row.tokens, r * width);
    });
    return new model.ort.Tensor("int32", data, dims);
  }
  const data = new BigInt64Array(size).fill(BigInt(padId));
  rows.forEach((row, r) => {
    row.tokens.forEach((id, t) => {
      data[r * width + t] = BigInt(id);
    });
  });
  return new model.ort.Tensor("int64", data, dims);
}

function maskTensor(ort: Ort, type: MaskType, rows: readonly Row[], width: number): Tensor {
  const mask = new Uint8Array(rows.length * width);
  rows.forEach((row, r) => {
    mask.fill(1, r * width, r * width + row.tokens.length);
  });
  const dims = [rows.length, width];
  switch (type) {
    case "bool":
      return new ort.Tensor("bool", mask, dims);
    case "int32":
      return new ort.Tensor("int32", Int32Array.from(mask), dims);
    case "float32":
      return new ort.Tensor("float32", Float32Array.from(mask), dims);
    case "int64":
      return new ort.Tensor(
        "int64",
        BigInt64Array.from(mask, (one) => BigInt(one)),
        dims,
      );
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
