/**
 * A learned process reward model (PRM): architecture.ts's decoder with a two-class head in
 * place of the language-model head, p(step is right | the response up to the step's last
 * token). It is trained here with tfjs and saved as an ONNX file (prm-graph.ts) that an
 * `onnx(...)` reward reads like any other reward model.
 *
 * It reads the response's tokens only, from position 0, as runtime/rewards/onnx-scorer.ts
 * feeds a reward model: it never sees the problem, so it can judge a step's arithmetic and
 * whether its operands are earlier results, but not whether a small number is the problem's.
 * That blind spot is deliberate: a real PRM is imperfect too, and this one can be rewarded for
 * right-looking steps that solve nothing (reward hacking, which the arithmetic lab measures).
 */
import * as tf from "@tensorflow/tfjs";
import { mulberry32 } from "../ops/rng.js";
import { elementCount, initialWeights, parameterSpecs, standardNormal, type Architecture, type ParameterSpec, type Weights } from "../policy/architecture.js";
import { Adam, type AdamSettings } from "../trainer/adam.js";
import { selectBackend, type Device } from "../trainer/backend.js";
import { linear, logSoftmax } from "../trainer/layers.js";
import { hiddenStates } from "../trainer/tf-policy.js";

/** Class 0: the step is wrong; class 1 (the `positive` of `onnx(...)`): it is right. */
export const PRM_CLASSES = 2;

/** The decoder's parameters, then the head's. */
export function prmParameterSpecs(arch: Architecture): ParameterSpec[] {
  const d = arch.dModel;
  return [
    ...parameterSpecs(arch),
    { name: "head.w", shape: [d, PRM_CLASSES], init: "normal", std: 0.02 },
    { name: "head.b", shape: [PRM_CLASSES], init: "zeros", std: 0 },
  ];
}

/** Responses right-padded to one length, with the labelled positions (each step's last token). */
export interface PrmBatch {
  readonly rows: number;
  readonly length: number;
  readonly ids: Int32Array;
  /** Flat positions (row * length + t) that carry a label. */
  readonly positions: Int32Array;
  readonly labels: Uint8Array;
}

export function prmBatch(
  responses: readonly { tokens: readonly number[]; stepEnds: readonly number[]; labels: readonly number[] }[],
  arch: Architecture,
): PrmBatch {
  const length = Math.max(1, ...responses.map((r) => r.tokens.length));
  if (length > arch.context) throw new Error(`a response of ${length} tokens exceeds the PRM's context of ${arch.context}`);
  const ids = new Int32Array(responses.length * length).fill(arch.eos);
  const positions: number[] = [];
  const labels: number[] = [];
  responses.forEach((r, i) => {
    if (r.labels.length !== r.stepEnds.length) throw new Error(`response ${i}: ${r.stepEnds.length} steps but ${r.labels.length} labels`);
    ids.set(r.tokens, i * length);
    r.stepEnds.forEach((end, k) => {
      positions.push(i * length + end);
      labels.push(r.labels[k]!);
    });
  });
  return { rows: responses.length, length, ids, positions: Int32Array.from(positions), labels: Uint8Array.from(labels) };
}

export class PrmModel {
  private constructor(
    readonly arch: Architecture,
    private readonly params: Map<string, tf.Variable>,
    private readonly adam: Adam,
  ) {}

  /**
   * On the backend `device` selects: the decoder from `decoder` (a trained policy's weights,
   * as real PRMs start from a language model) or fresh from `seed`, and a fresh head.
   */
  static async create(arch: Architecture, seed: number, device: Device, decoder: Weights = initialWeights(arch, seed)): Promise<PrmModel> {
    await selectBackend(device);
    const rng = mulberry32(seed ^ 0x5bd1e995);
    const params = new Map<string, tf.Variable>();
    for (const spec of prmParameterSpecs(arch)) {
      let values = decoder.get(spec.name)?.slice();
      if (values === undefined) {
        // The head, which the decoder's weights do not include.
        values = new Float32Array(elementCount(spec.shape));
        if (spec.init === "normal") for (let i = 0; i < values.length; i++) values[i] = spec.std * standardNormal(rng);
      }
      params.set(spec.name, tf.variable(tf.tensor(values, spec.shape as number[])));
    }
    return new PrmModel(arch, params, new Adam(params));
  }

  /** One Adam step on the batch's mean cross-entropy; returns the loss. Throws on a non-finite loss or gradient. */
  step(batch: PrmBatch, adam: AdamSettings): number {
    const { value, grads } = tf.tidy(() => tf.variableGrads(() => this.loss(batch), [...this.params.values()]));
    try {
      const loss = value.arraySync();
      if (!Number.isFinite(loss)) throw new Error(`PRM training: the loss is ${loss}; lower the learning rate`);
      const flat = this.adam.flatten(grads);
      try {
        const norm = Adam.globalNorm(flat);
        if (!Number.isFinite(norm)) throw new Error(`PRM training: the gradient norm is ${norm}; lower the learning rate`);
        this.adam.apply(flat, norm, adam);
      } finally {
        flat.dispose();
      }
      return loss;
    } finally {
      value.dispose();
      tf.dispose(grads);
    }
  }

  /** p(right) at each labelled position of the batch, in its order. */
  probabilities(batch: PrmBatch): Float32Array {
    const probs = tf.tidy(() => tf.exp(tf.slice(this.classLogProbs(batch), [0, 1], [-1, 1])));
    const all = probs.dataSync() as Float32Array;
    probs.dispose();
    // One value per position of the [N * L] layout the positions index.
    return Float32Array.from(batch.positions, (p) => all[p]!);
  }

  weights(): Weights {
    return new Map([...this.params].map(([name, v]) => [name, v.dataSync() as Float32Array]));
  }

  dispose(): void {
    this.adam.dispose();
    for (const v of this.params.values()) v.dispose();
  }

  /** log p(class) at every position, [N * L, 2]. */
  private classLogProbs(batch: PrmBatch): tf.Tensor2D {
    const h = hiddenStates(this.arch, this.params, batch, { training: true });
    return logSoftmax(linear(h, this.params.get("head.w")!, this.params.get("head.b")!));
  }

  /** Mean over the labelled positions of -log p(label); a one-hot target picks the label's column. */
  private loss(batch: PrmBatch): tf.Scalar {
    const n = batch.positions.length;
    if (n === 0) throw new Error("PRM training: the batch has no labelled steps");
    const target = new Float32Array(batch.rows * batch.length * PRM_CLASSES);
    // positions and labels are parallel (prmBatch).
    batch.positions.forEach((p, k) => {
      target[p * PRM_CLASSES + batch.labels[k]!] = 1 / n;
    });
    return tf.neg(tf.sum(tf.mul(this.classLogProbs(batch), tf.tensor2d(target, [batch.rows * batch.length, PRM_CLASSES])))) as tf.Scalar;
  }
}
