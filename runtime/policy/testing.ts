/**
 * A plain-TypeScript forward pass of the policy, written straight from architecture.ts's
 * description with no engine: the ground truth both engines' tests compare against, and the
 * comparison they make. Slow (naive loops); for tiny models in tests only.
 */
import { initialWeights, LAYER_NORM_EPS, MLP_WIDTH_FACTOR, parameterSpecs, type Architecture, type Weights } from "./architecture.js";

/** initialWeights with the normal-initialised parameters scaled up: logits far from uniform, so comparing log-probs is a sensitive test. */
export function sharpWeights(a: Architecture, seed: number, scale: number): Weights {
  const normal = new Set(
    parameterSpecs(a)
      .filter((spec) => spec.init === "normal")
      .map((spec) => spec.name),
  );
  const w = initialWeights(a, seed);
  for (const [name, values] of w) if (normal.has(name)) for (let i = 0; i < values.length; i++) values[i] = values[i]! * scale;
  return w;
}

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
  let x: Float64Array[] = ids.map((id, t) => add(Float64Array.from(rowOf(tokEmb, id, d)), rowOf(posEmb, t, d)));
  const dh = d / a.heads;
  // Head j's columns of part 0 (q), 1 (k) or 2 (v) of a position's qkv row.
  const head = (qkv: Float64Array, part: number, j: number) => qkv.subarray(part * d + j * dh, part * d + (j + 1) * dh);
  for (let l = 0; l < a.layers; l++) {
    const p = `layer${l}.`;
    const qkvOf = (row: Float64Array) => affine(layerNorm(row, get(`${p}ln1.g`), get(`${p}ln1.b`)), get(`${p}attn.w_qkv`), get(`${p}attn.b_qkv`), 3 * d);
    const positions = x.map((row) => ({ row, qkv: qkvOf(row) }));
    x = positions.map(({ row, qkv }, t) => {
      const seen = positions.slice(0, t + 1);
      const heads = new Float64Array(d);
      for (let j = 0; j < a.heads; j++) {
        const probs = softmax(seen.map((s) => dot(head(qkv, 0, j), head(s.qkv, 1, j)) / Math.sqrt(dh)));
        const out = heads.subarray(j * dh, (j + 1) * dh);
        seen.forEach((s, i) => {
          addScaled(out, probs[i]!, head(s.qkv, 2, j));
        });
      }
      return add(row, affine(heads, get(`${p}attn.w_out`), get(`${p}attn.b_out`), d));
    });
    x = x.map((row) => {
      const hidden = affine(layerNorm(row, get(`${p}ln2.g`), get(`${p}ln2.b`)), get(`${p}mlp.w_in`), get(`${p}mlp.b_in`), MLP_WIDTH_FACTOR * d).map(gelu);
      return add(row, affine(hidden, get(`${p}mlp.w_out`), get(`${p}mlp.b_out`), d));
    });
  }
  return x.map((row) => {
    const h = layerNorm(row, get("ln_f.g"), get("ln_f.b"));
    return Float64Array.from({ length: a.vocab }, (_, v) => dot(h, rowOf(tokEmb, v, d)));
  });
}

/** log p(ids[t] | ids[<t]) for t >= 1 (index 0 is 0: the first token is given, not predicted). */
export function referenceLogProbs(a: Architecture, w: Weights, ids: readonly number[]): number[] {
  const logits = referenceLogits(a, w, ids);
  return ids.map((id, t) => {
    // Position t - 1's logits predict token t; the first token has none.
    const previous = logits[t - 1];
    if (previous === undefined) return 0;
    const lp = logSoftmax(previous)[id];
    if (lp === undefined) throw new Error(`token id ${id} is outside the vocabulary`);
    return lp;
  });
}

/**
 * Per response token of `sequences`, flat as policy/sequence.ts lays them out: log p and the
 * entropy of softmax(logits / temperature), the distribution an RL stage trains on
 * (docs/algorithms.md §1.5), in float64.
 */
export function referenceTokenScores(
  a: Architecture,
  w: Weights,
  sequences: readonly { prompt: readonly number[]; response: readonly number[] }[],
  temperature: number,
): { logp: number[]; entropy: number[] } {
  const logp: number[] = [];
  const entropy: number[] = [];
  for (const s of sequences) {
    // Position t - 1's logits predict token t: the rows before each response token.
    const logits = referenceLogits(a, w, [...s.prompt, ...s.response]).slice(s.prompt.length - 1, -1);
    logits.forEach((row, j) => {
      const ls = logSoftmax(row.map((z) => z / temperature));
      const lp = ls[s.response[j]!];
      if (lp === undefined) throw new Error(`token id ${s.response[j]} is outside the vocabulary`);
      logp.push(lp);
      entropy.push(-ls.reduce((h, l) => h + Math.exp(l) * l, 0));
    });
  }
  return { logp, entropy };
}

/** The largest |a[i] - b[i]|: how far an engine's values are from the reference's (or the other engine's). */
export function largestDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  sameLength(a, b);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** A copy of `w` with coordinate i of parameter `name` moved by delta: a finite difference's point. */
export function nudged(w: Weights, name: string, i: number, delta: number): Weights {
  const v = Float32Array.from(w.get(name) ?? []);
  const x = v[i];
  if (x === undefined) throw new Error(`the weights have no \`${name}\`[${i}]`);
  v[i] = x + delta;
  return new Map(w).set(name, v);
}

/** The largest difference between two sets of weights, over every parameter of `a`. */
export function largestWeightDifference(a: Weights, b: Weights): number {
  let worst = 0;
  for (const [name, values] of a) {
    const other = b.get(name);
    if (other === undefined) throw new Error(`the second weights have no \`${name}\``);
    worst = Math.max(worst, largestDifference(values, other));
  }
  return worst;
}

export function logSoftmax(v: ArrayLike<number>): number[] {
  const values = Array.from(v);
  const max = values.reduce((m, x) => Math.max(m, x), -Infinity);
  const sum = values.reduce((s, x) => s + Math.exp(x - max), 0);
  const log = max + Math.log(sum);
  return values.map((x) => x - log);
}

function softmax(v: number[]): number[] {
  return logSoftmax(v).map(Math.exp);
}

function layerNorm(x: Float64Array, g: Float32Array, b: Float32Array): Float64Array {
  sameLength(x, g);
  sameLength(x, b);
  const n = x.length;
  const mean = x.reduce((s, v) => s + v, 0) / n;
  const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
  return x.map((v, i) => ((v - mean) / Math.sqrt(variance + LAYER_NORM_EPS)) * g[i]! + b[i]!);
}

/** x @ w + b for w [x.length, out], row-major. */
function affine(x: Float64Array, w: Float32Array, b: Float32Array, out: number): Float64Array {
  const y = Float64Array.from(b);
  x.forEach((xi, i) => {
    addScaled(y, xi, rowOf(w, i, out));
  });
  return y;
}

/** Row r of a row-major matrix `width` wide. */
function rowOf(m: Float32Array, r: number, width: number): Float32Array {
  return m.subarray(r * width, (r + 1) * width);
}

function add(a: Float64Array, b: ArrayLike<number>): Float64Array {
  sameLength(a, b);
  return a.map((v, i) => v + b[i]!);
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  sameLength(a, b);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** target += scale * v. */
function addScaled(target: Float64Array, scale: number, v: ArrayLike<number>): void {
  sameLength(target, v);
  for (let i = 0; i < target.length; i++) target[i] = target[i]! + scale * v[i]!;
}

/** The elementwise helpers' one check: every index below a.length is in range of b. */
function sameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`);
}

function gelu(x: number): number {
  return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
}
