/**
 * Adam (Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization", Algorithm 1, with the
 * bias corrections) with decoupled weight decay (AdamW, Loshchilov & Hutter 2019, "Decoupled
 * Weight Decay Regularization", Algorithm 2) and global-norm gradient clipping, as tensor ops
 * written here rather than tf.train.adam: the learning rate follows the recipe's schedule step
 * by step, and the moments are plain arrays a checkpoint saves and restores.
 *
 * Per step, with g the gradient scaled by min(1, clip / (||g|| + 1e-6)) (PyTorch's
 * clip_grad_norm_ scale):
 *   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
 *   p -= lr (m / (1 - b1^t) / (sqrt(v / (1 - b2^t)) + 1e-8) + wd p).
 * The decay is decoupled (not added to g, so Adam's scaling does not weaken it) and applies to
 * every parameter, LayerNorm gains and biases included, as torch.optim.AdamW does for the
 * parameters it is given.
 *
 * All parameters are updated as one flat vector: the update is ~10 elementwise kernels over
 * the whole model instead of ~10 per parameter, which on wasm (~30 us of overhead per kernel)
 * is most of the optimizer's time for a small model.
 */
import * as tf from "@tensorflow/tfjs";
import type { Weights } from "../policy/architecture.js";

export interface AdamSettings {
  readonly lr: number;
  readonly betas: [number, number];
  readonly weightDecay: number;
  /** Global-norm clip; <= 0 or Infinity turns it off. */
  readonly clipGrad: number;
}

export interface OptimizerState {
  /** Updates applied so far (the bias correction's t). */
  readonly step: number;
  readonly m: Weights;
  readonly v: Weights;
}

const EPS = 1e-8;
/** PyTorch's clip_grad_norm_ divides by norm + 1e-6. */
const CLIP_EPS = 1e-6;

export class Adam {
  private step = 0;
  private readonly params: ReadonlyMap<string, tf.Variable>;
  private readonly total: number;
  private readonly m: tf.Variable;
  private readonly v: tf.Variable;

  constructor(params: ReadonlyMap<string, tf.Variable>) {
    this.params = params;
    this.total = [...params.values()].reduce((n, p) => n + p.size, 0);
    this.m = tf.variable(tf.zeros([this.total]), false);
    this.v = tf.variable(tf.zeros([this.total]), false);
  }

  /** Updates applied so far. */
  get updates(): number {
    return this.step;
  }

  /** The gradients (tf.variableGrads's, by variable name) as one flat vector in the parameters' order. */
  flatten(grads: tf.NamedTensorMap): tf.Tensor1D {
    return tf.tidy(() =>
      tf.concat(
        [...this.params].map(([name, variable]) => {
          const g = grads[variable.name];
          if (g === undefined) throw new Error(`adam: no gradient for \`${name}\``);
          return tf.reshape(g, [-1]);
        }),
      ),
    ) as tf.Tensor1D;
  }

  /** sqrt(sum g^2) over every parameter, read back as a number (the NaN guard needs it). */
  static globalNorm(flat: tf.Tensor): number {
    const total = tf.tidy(() => tf.sqrt(tf.sum<tf.Scalar>(tf.square(flat))));
    const norm = total.arraySync();
    total.dispose();
    return norm;
  }

  /** One update from the flat gradient whose global norm is `norm` (finite: the caller checked). */
  apply(flat: tf.Tensor1D, norm: number, s: AdamSettings): void {
    this.step++;
    const [b1, b2] = s.betas;
    const clipping = s.clipGrad > 0 && Number.isFinite(s.clipGrad) && norm > s.clipGrad;
    const scale = clipping ? s.clipGrad / (norm + CLIP_EPS) : 1;
    const c1 = 1 - b1 ** this.step;
    const c2 = 1 - b2 ** this.step;
    const vars = [...this.params.values()];
    const next = tf.tidy(() => {
      const g = scale === 1 ? flat : tf.mul(flat, scale);
      this.m.assign(tf.add(tf.mul(this.m, b1), tf.mul(g, 1 - b1)));
      this.v.assign(tf.add(tf.mul(this.v, b2), tf.mul(tf.square(g), 1 - b2)));
      let update = tf.div(tf.div(this.m, c1), tf.add(tf.sqrt(tf.div(this.v, c2)), EPS));
      const p = tf.concat(vars.map((x) => tf.reshape(x, [-1])));
      if (s.weightDecay > 0) update = tf.add(update, tf.mul(p, s.weightDecay));
      return tf.sub(p, tf.mul(update, s.lr));
    });
    // Cut back into parameters through JavaScript: wasm's split and slice copy at ~1 ms per
    // 100k values, reading the vector back and uploading the pieces costs a tenth of that.
    // (Read outside tidy: docs/architecture.md "Pitfalls of tfjs-wasm under Node".)
    const values = next.dataSync() as Float32Array;
    next.dispose();
    let offset = 0;
    for (const x of vars) {
      tf.tidy(() => x.assign(tf.tensor(values.subarray(offset, offset + x.size), x.shape)));
      offset += x.size;
    }
  }

  state(): OptimizerState {
    return { step: this.step, m: this.byName(this.m.dataSync() as Float32Array), v: this.byName(this.v.dataSync() as Float32Array) };
  }

  /** Restores a saved state, or zeroes the moments (a stage's fresh optimizer) when undefined. */
  setState(state: OptimizerState | undefined): void {
    const load = (saved: Weights | undefined, what: string): Float32Array => {
      const flat = new Float32Array(this.total);
      if (saved === undefined) return flat;
      let offset = 0;
      for (const [name, p] of this.params) {
        const values = saved.get(name);
        if (values === undefined) throw new Error(`the optimizer state has no ${what} for \`${name}\``);
        if (values.length !== p.size) throw new Error(`the optimizer state's ${what} for \`${name}\` has ${values.length} values, expected ${p.size}`);
        flat.set(values, offset);
        offset += p.size;
      }
      return flat;
    };
    const m = load(state?.m, "first moment");
    const v = load(state?.v, "second moment");
    if (state !== undefined && !(Number.isInteger(state.step) && state.step >= 0))
      throw new Error(`the optimizer state's step must be a whole number >= 0, got ${state.step}`);
    this.step = state?.step ?? 0;
    tf.tidy(() => {
      this.m.assign(tf.tensor1d(m));
      this.v.assign(tf.tensor1d(v));
    });
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }

  /** A flat vector cut back into copies per parameter name. */
  private byName(flat: Float32Array): Weights {
    const out: Weights = new Map();
    let offset = 0;
    for (const [name, p] of this.params) {
      out.set(name, flat.slice(offset, offset + p.size));
      offset += p.size;
    }
    return out;
  }
}
