/**
 * Rollout sampling and teacher-forced log-probs from the policy's ONNX graph (policy-graph.ts)
 * run by onnxruntime-node, with a KV cache.
 *
 * sample: one prefill run over the prompts, left-padded to one length (padding is eos, hidden
 * by `attention_mask`; each row's positions start at 0 at its first real token, so a row's
 * logits do not depend on the batch), then one run per new token that feeds the last token and
 * the previous run's keys and values. A row ends at eos (kept as its last token), after
 * `maxTokens`, or when prompt plus response fill `arch.context`. Finished rows are dropped from
 * the cache, so they cost nothing more. Draws: at each position, one per unfinished row, rows in
 * prompt order (chooseToken), so the same weights and seed give the same responses.
 *
 * logProbs: the same left-padded batch of prompt + response with no past (P = 0), one run,
 * log_softmax(logits / T) read at each response token's previous position: the full tempered
 * distribution, as the trainer scores it (docs/algorithms.md §1.5).
 */
import type { InferenceSession, Tensor } from "onnxruntime-node";
import type { Rng } from "../ops/rng.js";
import { elementCount, parameterSpecs, type Architecture, type Weights } from "../policy/architecture.js";
import type { Sequence } from "../policy/sequence.js";
import { chooseToken, type ChosenToken } from "./choose-token.js";
import { KvCache } from "./kv-cache.js";
import { LOGITS, policyGraph } from "./policy-graph.js";

export interface SampleSettings {
  temperature: number;
  topP: number;
  maxTokens: number;
  rng: Rng;
  /** Optional: told every token as it is drawn, with its logprob under the sampled distribution. */
  onToken?: (row: number, token: ChosenToken) => void;
}

export interface OnnxSampler {
  sample(weights: Weights, prompts: readonly (readonly number[])[], settings: SampleSettings): Promise<Sequence[]>;
  /** Teacher-forced log p at `temperature` (> 0) of every response token, flat as policy/sequence.ts lays them out. */
  logProbs(weights: Weights, sequences: readonly Sequence[], temperature: number): Promise<Float32Array>;
  close(): Promise<void>;
}

type Ort = typeof import("onnxruntime-node");
type Feeds = Record<string, Tensor>;
/** Outputs a run writes into tensors the caller made (pre-allocated), by name. */
type Fetches = Record<string, Tensor | null>;

/** Rows per logProbs run: bounds the [rows, length, vocab] logits a single run holds. */
const LOGPROB_CHUNK = 256;

/**
 * The CPU session options the sampler runs with; `npm run bench` measures onnxruntime's matmul
 * peak with the same ones.
 */
export function samplerSessionOptions(threads = 2): InferenceSession.SessionOptions {
  return {
    graphOptimizationLevel: "all",
    intraOpNumThreads: threads,
    // Errors only: a failing run is thrown with its message; onnxruntime's own log would repeat it.
    logSeverityLevel: 3,
    // Idle pool threads sleep rather than spin: a decoding step is many tiny kernels, and on a
    // machine others share, threads spinning between them take the cores from the thread that
    // has work. Scheduling only: the results are the same.
    extra: { session: { intra_op: { allow_spinning: "0" } } },
  };
}

export async function createOnnxSampler(arch: Architecture, options: { threads?: number; device?: "cpu" | "gpu" } = {}): Promise<OnnxSampler> {
  let ort: Ort;
  try {
    ort = await import("onnxruntime-node");
  } catch (error) {
    throw new Error(`onnx sampler: onnxruntime-node could not be loaded: ${messageOf(error)}`);
  }
  const model = policyGraph(arch);
  const sessionOptions = samplerSessionOptions(options.threads);
  let session: InferenceSession | null = null;
  if (options.device === "gpu") {
    try {
      // Fatal only: a missing CUDA provider is reported once, below, in our words.
      session = await ort.InferenceSession.create(model, { ...sessionOptions, logSeverityLevel: 4, executionProviders: ["cuda", "cpu"] });
    } catch (error) {
      console.warn(`onnx sampler: the CUDA execution provider is not available (${messageOf(error)}); sampling on the CPU`);
    }
  }
  try {
    session ??= await ort.InferenceSession.create(model, { ...sessionOptions, executionProviders: ["cpu"] });
  } catch (error) {
    throw new Error(`onnx sampler: onnxruntime could not load the policy graph: ${messageOf(error)}`);
  }
  return new Sampler(ort, session, arch);
}

/** A left-padded batch: what a P = 0 run takes; a row of n tokens starts at `length - n`. */
interface Batch {
  readonly feeds: Feeds;
  readonly length: number;
}

/** A prompt being sampled from: `index` is its place among the prompts, the draw order. */
interface Row {
  readonly index: number;
  readonly prompt: readonly number[];
  readonly response: number[];
  /** Tokens it may draw: max_tokens, or fewer where the context ends first. */
  readonly limit: number;
}

class Sampler implements OnnxSampler {
  private closed = false;
  private readonly dh: number;

  constructor(
    private readonly ort: Ort,
    private readonly session: InferenceSession,
    private readonly arch: Architecture,
  ) {
    this.dh = arch.dModel / arch.heads;
  }

  async sample(weights: Weights, prompts: readonly (readonly number[])[], settings: SampleSettings): Promise<Sequence[]> {
    this.checkOpen();
    const { arch } = this;
    checkSettings(settings);
    for (const [i, prompt] of prompts.entries()) this.checkTokens(prompt, `prompt ${i}`);
    const all: Row[] = prompts.map((prompt, index) => ({ index, prompt, response: [], limit: Math.min(settings.maxTokens, arch.context - prompt.length) }));
    // Rows in the cache, in prompt order (the draw order).
    let rows = all.filter((row) => row.limit > 0);
    if (rows.length > 0) {
      const w = this.weightFeeds(weights);
      const batch = this.batch(rows.map((row) => row.prompt));
      // The last run writes at most prompt + limit - 1 positions: the last draw is never fed.
      const positions = batch.length + Math.max(...rows.map((row) => row.limit)) - 1;
      const cache = new KvCache(this.ort, { layers: arch.layers, heads: arch.heads, dh: this.dh }, rows.length, positions);
      const logitsBuffer = new Float32Array(rows.length * batch.length * arch.vocab);
      let feeds: Feeds = { ...w, ...batch.feeds };
      let width = batch.length; // positions in the run's logits: the newest is the last
      let what = "the prefill";
      for (;;) {
        cache.pastFeeds(feeds);
        const fetches: Fetches = { [LOGITS]: this.view(logitsBuffer, [rows.length, width, arch.vocab]) };
        cache.presentFetches(fetches, width);
        await this.run(feeds, what, fetches);
        cache.advance(width);
        const keep: number[] = []; // indices into `rows` (and the cache) of the rows that go on
        const going: Row[] = [];
        rows.forEach((row, r) => {
          const at = (r * width + width - 1) * arch.vocab;
          const token = chooseToken(logitsBuffer.subarray(at, at + arch.vocab), settings.temperature, settings.topP, settings.rng);
          row.response.push(token.id);
          settings.onToken?.(row.index, token);
          if (token.id !== arch.eos && row.response.length < row.limit) {
            keep.push(r);
            going.push(row);
          }
        });
        if (keep.length === 0) break;
        if (keep.length < rows.length) cache.dropRows(keep);
        rows = going;
        feeds = { ...w, ...this.step(rows, batch.length, cache.positions) };
        width = 1;
        what = "a decoding step";
      }
    }
    return all.map(({ prompt, response }) => ({ prompt, response }));
  }

  async logProbs(weights: Weights, sequences: readonly Sequence[], temperature: number): Promise<Float32Array> {
    this.checkOpen();
    const { arch } = this;
    // T = 0 (greedy) samples from a point mass, which has no log-probs to compare or train on.
    if (!(temperature > 0 && Number.isFinite(temperature))) throw new Error(`onnx sampler: log-probs need a temperature > 0, got ${temperature}`);
    const rows = sequences.map((s, i) => {
      this.checkTokens(s.prompt, `the prompt of sequence ${i}`);
      const ids = [...s.prompt, ...s.response];
      this.checkTokens(ids, `sequence ${i}`);
      return { ...s, ids };
    });
    const result = new Float32Array(sequences.reduce((n, s) => n + s.response.length, 0));
    // Rows without a response token have nothing to score: leave them out of the runs.
    const scored = rows.filter((row) => row.response.length > 0);
    if (scored.length === 0) return result;
    // Where the next response token's value goes: rows in order, as policy/sequence.ts lays them out.
    let next = 0;
    const w = this.weightFeeds(weights);
    for (let start = 0; start < scored.length; start += LOGPROB_CHUNK) {
      const chunk = scored.slice(start, start + LOGPROB_CHUNK);
      const batch = this.batch(chunk.map((row) => row.ids));
      const out = await this.run({ ...w, ...batch.feeds }, "the log-prob pass", ["logits"]);
      const logits = output(out, "logits").data as Float32Array;
      chunk.forEach(({ ids, prompt, response }, r) => {
        const pad = batch.length - ids.length;
        response.forEach((token, j) => {
          // Response token j is predicted by the logits at the position before it.
          const at = (r * batch.length + pad + prompt.length + j - 1) * arch.vocab;
          result[next++] = logSoftmaxAt(logits, at, arch.vocab, token, temperature);
        });
      });
    }
    return result;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.session.release();
  }

  /** Left-pads `rows` (each non-empty) to the longest, for a run with no past. */
  private batch(rows: readonly (readonly number[])[]): Batch {
    const { arch } = this;
    const length = Math.max(...rows.map((r) => r.length));
    const n = rows.length;
    const ids = new BigInt64Array(n * length).fill(BigInt(arch.eos));
    const positions = new BigInt64Array(n * length); // padding sits at position 0: any valid one does
    const mask = new BigInt64Array(n * length);
    rows.forEach((row, r) => {
      const pad = length - row.length;
      row.forEach((id, t) => {
        ids[r * length + pad + t] = BigInt(id);
        positions[r * length + pad + t] = BigInt(t);
        mask[r * length + pad + t] = 1n;
      });
    });
    const feeds: Feeds = {
      input_ids: new this.ort.Tensor("int64", ids, [n, length]),
      position_ids: new this.ort.Tensor("int64", positions, [n, length]),
      attention_mask: new this.ort.Tensor("int64", mask, [n, length]),
    };
    for (let l = 0; l < arch.layers; l++) {
      for (const kind of ["key", "value"]) feeds[`past_${kind}.${l}`] = new this.ort.Tensor("float32", new Float32Array(0), [n, arch.heads, 0, this.dh]);
    }
    return { feeds, length };
  }

  /**
   * The inputs of a decoding step after `cached` positions: each row's last token at its
   * position (prompt + response - 1, < context - 1 by `limit`), and a mask over the cache and it
   * that keeps hiding the row's prefill padding, the first `padded - prompt` positions.
   */
  private step(rows: readonly Row[], padded: number, cached: number): Feeds {
    const n = rows.length;
    const ids = new BigInt64Array(n);
    const positions = new BigInt64Array(n);
    const mask = new BigInt64Array(n * (cached + 1)).fill(1n);
    rows.forEach((row, r) => {
      ids[r] = BigInt(row.response.at(-1)!);
      positions[r] = BigInt(row.prompt.length + row.response.length - 1);
      mask.fill(0n, r * (cached + 1), r * (cached + 1) + padded - row.prompt.length);
    });
    return {
      input_ids: new this.ort.Tensor("int64", ids, [n, 1]),
      position_ids: new this.ort.Tensor("int64", positions, [n, 1]),
      attention_mask: new this.ort.Tensor("int64", mask, [n, cached + 1]),
    };
  }

  /** A tensor over the front of `buffer`: where a run writes an output of that shape. */
  private view(buffer: Float32Array, dims: number[]): Tensor {
    return new this.ort.Tensor("float32", buffer.subarray(0, elementCount(dims)), dims);
  }

  /** The weights as graph inputs; a missing or mis-sized one fails before onnxruntime sees it. */
  private weightFeeds(weights: Weights): Feeds {
    const feeds: Feeds = {};
    for (const spec of parameterSpecs(this.arch)) {
      const values = weights.get(spec.name);
      if (values === undefined) throw new Error(`onnx sampler: the weights have no parameter \`${spec.name}\``);
      const size = elementCount(spec.shape);
      if (values.length !== size)
        throw new Error(`onnx sampler: parameter \`${spec.name}\` has ${values.length} values; shape [${spec.shape.join(", ")}] takes ${size}`);
      feeds[spec.name] = new this.ort.Tensor("float32", values, [...spec.shape]);
    }
    return feeds;
  }

  private async run(feeds: Feeds, what: string, fetches?: string[] | Fetches): Promise<InferenceSession.OnnxValueMapType> {
    try {
      return fetches === undefined ? await this.session.run(feeds) : await this.session.run(feeds, fetches);
    } catch (error) {
      throw new Error(`onnx sampler: ${what} failed in onnxruntime: ${messageOf(error)}`);
    }
  }

  /** Non-empty, token ids of the vocabulary, within the context (pos_emb has no row past it). */
  private checkTokens(ids: readonly number[], what: string): void {
    const { arch } = this;
    if (ids.length === 0) throw new Error(`onnx sampler: ${what} is empty; the policy needs at least one token to start from`);
    if (ids.length > arch.context) throw new Error(`onnx sampler: ${what} has ${ids.length} tokens, more than the policy's context of ${arch.context}`);
    const bad = ids.findIndex((id) => !Number.isInteger(id) || id < 0 || id >= arch.vocab);
    if (bad >= 0) throw new Error(`onnx sampler: token ${bad} of ${what} is ${ids[bad]}, not an id of the policy's vocabulary of ${arch.vocab}`);
  }

  private checkOpen(): void {
    if (this.closed) throw new Error("onnx sampler: used after close()");
  }
}

function checkSettings(s: SampleSettings): void {
  if (!(s.temperature >= 0) || !Number.isFinite(s.temperature)) throw new Error(`onnx sampler: temperature ${s.temperature} is not a finite number >= 0`);
  if (!(s.topP > 0 && s.topP <= 1)) throw new Error(`onnx sampler: top_p ${s.topP} is not in (0, 1]`);
  if (!Number.isInteger(s.maxTokens) || s.maxTokens < 0) throw new Error(`onnx sampler: max_tokens ${s.maxTokens} is not a whole number >= 0`);
}

/** log_softmax(logits[at .. at + n] / T)[id], in float64; id is a checked token id (< n). */
function logSoftmaxAt(logits: Float32Array, at: number, n: number, id: number, temperature: number): number {
  const row = logits.subarray(at, at + n);
  const max = row.reduce((m, x) => Math.max(m, x), -Infinity);
  const sum = row.reduce((s, x) => s + Math.exp((x - max) / temperature), 0);
  return (row[id]! - max) / temperature - Math.log(sum);
}

/** One output of a run, by name: each is declared by policy-graph.ts. */
function output(out: InferenceSession.OnnxValueMapType, name: string): Tensor {
  const value = out[name];
  if (value === undefined) throw new Error(`onnx sampler: the policy graph gave no output \`${name}\``);
  return value;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
