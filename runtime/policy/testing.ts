/**
 * A plain-TypeScript forward pass of the policy, written straight from architecture.ts's
 * description with no engine: the ground truth both engines' tests compare against. Slow (naive
 * loops); for tiny models in tests only.
 */
import { LAYER_NORM_EPS, MLP_WIDTH_FACTOR, type Architecture, type Weights } from "./architecture.js";

/** Logits [ids.length, vocab] of one sequence starting at position 0. */
export function referenceLogits(a: Architecture, w: Weights, ids: readonly number[]): Float64Array[] {
  const d = a.dModel;
  const get = (name: string) => {
    const v = w.get(name);
    if (!v) throw new Error(`missing weight ${name}`);
    return v;
  };
  const tokEmb = get("tok_emb");
  const posEmb = get("pos_emb");
  let x: Float64Array[] = ids.map((id, t) => Float64Array.from({ length: d }, (_, i) => tokEmb[id * d + i] + posEmb[t * d + i]));
  const dh = d / a.heads;
  for (let l = 0; l < a.layers; l++) {
    const p = `layer${l}.`;
    const h1 = x.map((row) => layerNorm(row, get(`${p}ln1.g`), get(`${p}ln1.b`)));
    const qkv = h1.map((row) => affine(row, get(`${p}attn.w_qkv`), get(`${p}attn.b_qkv`), 3 * d));
    const heads = x.map(() => new Float64Array(d));
    for (let j = 0; j < a.heads; j++) {
      for (let t = 0; t < x.length; t++) {
        const scores: number[] = [];
        for (let s = 0; s <= t; s++) {
          let dot = 0;
          for (let i = 0; i < dh; i++) dot += qkv[t][j * dh + i] * qkv[s][d + j * dh + i];
          scores.push(dot / Math.sqrt(dh));
        }
        const probs = softmax(scores);
        for (let s = 0; s <= t; s++) for (let i = 0; i < dh; i++) heads[t][j * dh + i] += probs[s] * qkv[s][2 * d + j * dh + i];
      }
    }
    x = x.map((row, t) => add(row, affine(heads[t], get(`${p}attn.w_out`), get(`${p}attn.b_out`), d)));
    const h2 = x.map((row) => layerNorm(row, get(`${p}ln2.g`), get(`${p}ln2.b`)));
    x = x.map((row, t) => {
      const hidden = affine(h2[t], get(`${p}mlp.w_in`), get(`${p}mlp.b_in`), MLP_WIDTH_FACTOR * d).map(gelu);
      return add(row, affine(hidden, get(`${p}mlp.w_out`), get(`${p}mlp.b_out`), d));
    });
  }
  return x.map((row) => {
    const h = layerNorm(row, get("ln_f.g"), get("ln_f.b"));
    return Float64Array.from({ length: a.vocab }, (_, v) => {
      let dot = 0;
      for (let i = 0; i < d; i++) dot += h[i] * tokEmb[v * d + i];
      return dot;
    });
  });
}

/** log p(ids[t] | ids[<t]) for t >= 1 (index 0 is 0: the first token is given, not predicted). */
export function referenceLogProbs(a: Architecture, w: Weights, ids: readonly number[]): number[] {
  const logits = referenceLogits(a, w, ids);
  return ids.map((id, t) => (t === 0 ? 0 : logSoftmax(logits[t - 1])[id]));
}

export function logSoftmax(v: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < v.length; i++) max = Math.max(max, v[i]);
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += Math.exp(v[i] - max);
  const log = max + Math.log(sum);
  return Array.from(v, (x) => x - log);
}

function softmax(v: number[]): number[] {
  return logSoftmax(v).map(Math.exp);
}

function layerNorm(x: Float64Array, g: Float32Array, b: Float32Array): Float64Array {
  const n = x.length;
  const mean = x.reduce((s, v) => s + v, 0) / n;
  const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
  return x.map((v, i) => ((v - mean) / Math.sqrt(variance + LAYER_NORM_EPS)) * g[i] + b[i]);
}

function affine(x: Float64Array, w: Float32Array, b: Float32Array, out: number): Float64Array {
  const y = Float64Array.from(b);
  for (let i = 0; i < x.length; i++) for (let o = 0; o < out; o++) y[o] += x[i] * w[i * out + o];
  return y;
}

function add(a: Float64Array, b: Float64Array): Float64Array {
  return a.map((v, i) => v + b[i]);
}

function gelu(x: number): number {
  return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
}
