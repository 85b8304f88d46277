/**
 * Rollout sampling from the policy's ONNX graph (policy-graph.ts) with onnxruntime-node and a
 * KV cache: one call over the prompts, then one call per new token for the rows still
 * running, each feeding back the keys and values of the positions before it. Prompts are
 * left-padded to one length; the attention bias hides the padding and the future.
 *
 * A row ends at eos (kept as its last token), at `maxTokens`, or when prompt and response
 * fill the policy's context. Draws: at each position, one per running row, rows in order;
 * the same weights and seed give the same responses.
 */
import type { InferenceSession, Tensor } from "onnxruntime-node";
import type { Rng } from "../ops/rng.js";
import type { Architecture, Weights } from "../policy/architecture.js";
import { parameterSpecs } from "../policy/architecture.js";
import type { Sequence } from "../policy/sequence.js";
import { chooseToken } from "./choose-token.js";
import { policyGraph } from "./policy-graph.js";

export interface SampleSettings {
  readonly temperature: number;
  readonly topP: number;
  readonly maxTokens: number;
  readonly rng: Rng;
}

export interface OnnxSampler {
  sample(weights: Weights, prompts: readonly (readonly number[])[], settings: SampleSettings): Promise<Sequence[]>;
  /** Teacher-forced log p of every response token (flat, policy/sequence.ts). */
  logProbs(weights: Weights, sequences: readonly Sequence[]): Promise<Float32Array>;
  close(): Promise<void>;
}

type Ort = typeof import("onnxruntime-node");

const HIDDEN = -1e9;

export async function createOnnxSampler(arch: Architecture, options: { threads?: number; device?: "cpu" | "gpu" } = {}): Promise<OnnxSampler> {
  const ort: Ort = await import("onnxruntime-node");
  const model = policyGraph(arch);
  const sessionOptions: InferenceSession.SessionOptions = { graphOptimizationLevel: "all", intraOpNumThreads: options.threads ?? 2 };
  let session: InferenceSession;
  try {
    session = await ort.InferenceSession.create(model, { ...sessionOptions, executionProviders: options.device === "gpu" ? ["cuda", "cpu"] : ["cpu"] });
  } catch (error) {
    if (options.device !== "gpu") throw new Error(`onnxruntime could not load the policy graph: ${(error as Error).message}`);
    process.emitWarning(`the CUDA execution provider is not available (${(error as Error).message}); sampling on the CPU`);
    session = await ort.InferenceSession.create(model, { ...sessionOptions, executionProviders: ["cpu"] });
  }
  const dh = arch.dModel / arch.heads;
  const specs = parameterSpecs(arch);
  const weightFeeds = (weights: Weights): Record<string, Tensor> =>
    Object.fromEntries(
      specs.map((spec) => {
        const values = weights.get(spec.name);
        if (values === undefined) throw new Error(`sampler: no weight \`${spec.name}\``);
        return [spec.name, new ort.Tensor("float32", values, [...spec.shape])];
      }),
    );
  const emptyCache = (rows: number): Record<string, Tensor> => {
    const feeds: Record<string, Tensor> = {};
    for (let l = 0; l < arch.layers; l++) {
      for (const kind of ["key", "value"]) feeds[`past_${kind}.${l}`] = new ort.Tensor("float32", new Float32Array(0), [rows, arch.heads, 0, dh]);
    }
    return feeds;
  };
  const int64 = (values: number[], dims: number[]) => new ort.Tensor("int64", BigInt64Array.from(values, BigInt), dims);

  /** Left-pads rows to one length: ids, positions from each row's first real token, bias. */
  function prefill(rows: readonly (readonly number[])[], eos: number) {
    const length = Math.max(1, ...rows.map((r) => r.length));
    const ids: number[] = [];
    const positions: number[] = [];
    const bias = new Float32Array(rows.length * length * length).fill(HIDDEN);
    rows.forEach((row, i) => {
      const pad = length - row.length;
      for (let j = 0; j < length; j++) {
        ids.push(j < pad ? eos : row[j - pad]);
        positions.push(Math.max(0, j - pad));
        for (let key = pad; key <= j; key++) bias[(i * length + j) * length + key] = 0;
        if (j < pad) bias[(i * length + j) * length + j] = 0; // a padding query sees itself, so its softmax is defined
      }
    });
    return { length, feeds: { input_ids: int64(ids, [rows.length, length]), position_ids: int64(positions, [rows.length, length]), attention_bias: new ort.Tensor("float32", bias, [rows.length, 1, length, length]) } };
  }

  return {
    async sample(weights, prompts, settings) {
      const n = prompts.length;
      const responses: number[][] = prompts.map(() => []);
      if (n === 0) return [];
      const limit = (i: number) => Math.min(settings.maxTokens, arch.context - prompts[i].length);
      const w = weightFeeds(weights);
      const start = prefill(prompts, arch.eos);
      let out = await session.run({ ...w, ...start.feeds, ...emptyCache(n) });
      let running = prompts.map((_, i) => i).filter((i) => limit(i) > 0);
      let rowsInCache = prompts.map((_, i) => i);
      let cacheLength = start.length;
      // Where each cached row's newest logits are: the padded prompt's last position, then 0.
      let position = start.length - 1;
      while (running.length > 0) {
        const logits = out.logits.data as Float32Array;
        const width = (out.logits.dims[1] as number) * arch.vocab;
        const next: number[] = [];
        for (const i of running) {
          const r = rowsInCache.indexOf(i);
          const row = logits.subarray(r * width + position * arch.vocab, r * width + (position + 1) * arch.vocab);
          const id = chooseToken(row, settings.temperature, settings.topP, settings.rng);
          responses[i].push(id);
          if (id !== arch.eos && responses[i].length < limit(i)) next.push(i);
        }
        if (next.length === 0) break;
        // Keep only the rows still running in the cache: finished rows cost nothing more.
        const keep = next.map((i) => rowsInCache.indexOf(i));
        const cache: Record<string, Tensor> = {};
        for (let l = 0; l < arch.layers; l++) {
          for (const kind of ["key", "value"]) {
            const present = out[`present_${kind}.${l}`];
            cache[`past_${kind}.${l}`] = new ort.Tensor("float32", selectRows(present.data as Float32Array, rowsInCache.length, keep), [keep.length, arch.heads, cacheLength, dh]);
          }
        }
        const pads = next.map((i) => start.length - prompts[i].length);
        const bias = new Float32Array(next.length * (cacheLength + 1));
        next.forEach((_, r) => bias.fill(HIDDEN, r * (cacheLength + 1), r * (cacheLength + 1) + pads[r]));
        const feeds = {
          input_ids: int64(next.map((i) => responses[i].at(-1)!), [next.length, 1]),
          position_ids: int64(next.map((i) => prompts[i].length + responses[i].length - 1), [next.length, 1]),
          attention_bias: new ort.Tensor("float32", bias, [next.length, 1, 1, cacheLength + 1]),
        };
        out = await session.run({ ...w, ...feeds, ...cache });
        rowsInCache = next;
        running = next;
        cacheLength++;
        position = 0;
      }
      return prompts.map((prompt, i) => ({ prompt, response: responses[i] }));
    },

    async logProbs(weights, sequences) {
      const rows = sequences.map((s) => [...s.prompt, ...s.response]);
      const start = prefill(rows, arch.eos);
      const out = await session.run({ ...weightFeeds(weights), ...start.feeds, ...emptyCache(rows.length) });
      const logits = out.logits.data as Float32Array;
      const result: number[] = [];
      sequences.forEach((s, i) => {
        const pad = start.length - rows[i].length;
        for (let j = 0; j < s.response.length; j++) {
          const at = pad + s.prompt.length + j - 1;
          const offset = (i * start.length + at) * arch.vocab;
          result.push(logSoftmaxAt(logits.subarray(offset, offset + arch.vocab), s.response[j]));
        }
      });
      return Float32Array.from(result);
    },

    async close() {
      await session.release();
    },
  };
}

/** Rows `keep` of a [rows, ...] tensor's data, in that order. */
function selectRows(data: Float32Array, rows: number, keep: number[]): Float32Array {
  const size = data.length / rows;
  const out = new Float32Array(keep.length * size);
  keep.forEach((r, j) => out.set(data.subarray(r * size, (r + 1) * size), j * size));
  return out;
}

function logSoftmaxAt(logits: Float32Array, id: number): number {
  let max = -Infinity;
  for (const v of logits) max = Math.max(max, v);
  let sum = 0;
  for (const v of logits) sum += Math.exp(v - max);
  return logits[id] - max - Math.log(sum);
}
