/**
 * Adam (Kingma & Ba 2015) with decoupled weight decay (AdamW, Loshchilov & Hutter 2019) and
 * global-norm gradient clipping, as tensor ops written here rather than tf.train.adam: the
 * learning rate follows the recipe's schedule step by step, and the moments are plain arrays
 * a checkpoint saves and restores.
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

export class Adam {
  private step = 0;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();

  constructor(private readonly params: ReadonlyMap<string, tf.Variable>) {
    for (const [name, p] of params) {
      this.m.set(name, tf.variable(tf.zerosLike(p), false));
      this.v.set(name, tf.variable(tf.zerosLike(p), false));
    }
  }

  /** sqrt(sum of squared gradients) over every parameter, read back as a number. */
  static globalNorm(grads: tf.NamedTensorMap): number {
    const total = tf.tidy(() => tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))))));
    const norm = total.dataSync()[0];
    total.dispose();
    return norm;
  }

  /** One update from gradients whose global norm is `norm` (finite: the caller checked). */
  apply(grads: tf.NamedTensorMap, norm: number, s: AdamSettings): void {
    this.step++;
    const [b1, b2] = s.betas;
    const scale = s.clipGrad > 0 && Number.isFinite(s.clipGrad) && norm > s.clipGrad ? s.clipGrad / (norm + 1e-6) : 1;
    const c1 = 1 - b1 ** this.step;
    const c2 = 1 - b2 ** this.step;
    tf.tidy(() => {
      for (const [name, p] of this.params) {
        const g = tf.mul(grads[name], scale);
        const m = this.m.get(name)!;
        const v = this.v.get(name)!;
        m.assign(tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1)));
        v.assign(tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2)));
        const update = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), EPS));
        const decayed = s.weightDecay > 0 ? tf.add(update, tf.mul(p, s.weightDecay)) : update;
        p.assign(tf.sub(p, tf.mul(decayed, s.lr)));
      }
    });
  }

  state(): OptimizerState {
    const read = (vars: Map<string, tf.Variable>) => new Map([...vars].map(([name, t]) => [name, t.dataSync().slice() as Float32Array]));
    return { step: this.step, m: read(this.m), v: read(this.v) };
  }

  /** Restores a saved state, or zeroes the moments (a stage's fresh optimizer) when undefined. */
  setState(state: OptimizerState | undefined): void {
    this.step = state?.step ?? 0;
    for (const [name, p] of this.params) {
      const shape = p.shape;
      const load = (vars: Map<string, tf.Variable>, saved: Weights | undefined) => {
        const values = saved?.get(name);
        if (saved && values === undefined) throw new Error(`the optimizer state has no moment for \`${name}\``);
        tf.tidy(() => vars.get(name)!.assign(values ? tf.tensor(values, shape) : tf.zeros(shape)));
      };
      load(this.m, state?.m);
      load(this.v, state?.v);
    }
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
  }
}
