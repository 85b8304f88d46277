/**
 * The training engine: the policy's weights as tfjs variables, scoring without gradients,
 * and one optimizer step of SFT or RL. Every step checks the loss and the gradient norm
 * before it touches the weights: a NaN or an infinity leaves weights and optimizer as they
 * were and is reported, for the run to stop (runtime/run/non-finite.ts).
 *
 * Dropout's masks (tf-policy.ts) are drawn from mulberry32 seeded by (engine seed, optimizer
 * step, pass within the step): a resumed run, whose checkpoint restores the optimizer's step,
 * draws the masks the uninterrupted run drew; a refused (non-finite) step is retried with the
 * same masks. Scoring never drops out.
 */
import * as tf from "@tensorflow/tfjs";
import { mulberry32 } from "../ops/rng.js";
import { parameterSpecs, type Architecture, type Weights } from "../policy/architecture.js";
import type { Sequence } from "../policy/sequence.js";
import { Adam, type AdamSettings, type OptimizerState } from "./adam.js";
import { selectBackend, type Backend, type Device } from "./backend.js";
import { klTokens, ppoTokenLoss, sftTokenLoss, weightedSum, type Clip } from "./losses.js";
import { layout, nextTokenScores, type Layout, type Params, type PassOptions } from "./tf-policy.js";

export type { AdamSettings, Device, OptimizerState };

export interface EngineOptions {
  /** Seeds dropout's masks (only used when arch.dropout > 0); default 0. */
  readonly seed?: number;
}

export type ExpertInput = { sequences: readonly Sequence[]; mu: number; phi: boolean } | { sequences: readonly Sequence[]; weight: number; mix: true };

/** Per-token arrays are flat over the response tokens of `sequences` (policy/sequence.ts). */
export interface RlStepInput {
  readonly sequences: readonly Sequence[];
  /**
   * The temperature (> 0) every log-prob and entropy of the step is taken at, the expert's SFT
   * term's included: the one the rollouts were sampled at (docs/algorithms.md §1.5).
   */
  readonly temperature: number;
  readonly advantages: Float32Array;
  readonly oldLogprobs: Float32Array;
  /** The aggregation: the policy loss is sum_t w_t L_t. */
  readonly lossWeights: Float32Array;
  readonly clip: Clip;
  readonly kl?: { estimator: "k1" | "k3"; coef: number; refLogprobs: Float32Array };
  readonly entropyCoef: number;
  readonly expert?: ExpertInput;
}

interface Applied {
  gradNorm: number;
  applied: boolean;
  nonFinite?: "loss" | "gradient";
}

export type SftStepResult = Applied & { loss: number; tokens: number };
export type RlStepResult = Applied & { loss: number; policyLoss: number; kl: number; entropy: number; clipFraction: number; sftLoss?: number };

export class TrainingEngine {
  /** tfjs's name of the backend training runs on: `cpu`, `wasm` or `tensorflow`. */
  readonly backend: string;
  /** The backend in words, for a run's log. */
  readonly backendDescription: string;
  /** Which kernels compute (Backend.kernels). */
  readonly kernels: string;
  private readonly arch: Architecture;
  private readonly params: Map<string, tf.Variable>;
  private readonly adam: Adam;
  private readonly seed: number;

  private constructor(arch: Architecture, params: Map<string, tf.Variable>, backend: Backend, seed: number) {
    this.arch = arch;
    this.params = params;
    this.adam = new Adam(params);
    this.backend = backend.name;
    this.backendDescription = backend.description;
    this.kernels = backend.kernels;
    this.seed = seed;
  }

  /** Selects the backend for `device` (process-wide in tfjs) and loads `weights`. */
  static async create(arch: Architecture, weights: Weights, device: Device, options: EngineOptions = {}): Promise<TrainingEngine> {
    const backend = await selectBackend(device);
    const params = new Map<string, tf.Variable>();
    // Unnamed: tfjs names variables globally, and two engines (a test's, a bench's) may coexist.
    for (const spec of parameterSpecs(arch)) params.set(spec.name, tf.variable(tf.zeros(spec.shape as number[])));
    const engine = new TrainingEngine(arch, params, backend, options.seed ?? 0);
    engine.setWeights(weights);
    return engine;
  }

  weights(): Weights {
    return new Map([...this.params].map(([name, v]) => [name, v.dataSync().slice() as Float32Array]));
  }

  setWeights(weights: Weights): void {
    for (const [name, v] of this.params) {
      const values = checked(weights, name, v.size);
      tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
    }
  }

  optimizerState(): OptimizerState {
    return this.adam.state();
  }

  setOptimizerState(state: OptimizerState | undefined): void {
    this.adam.setState(state);
  }

  /**
   * log p and entropy of every response token under softmax(logits / temperature), temperature
   * > 0, with the trained weights or the given ones.
   */
  score(sequences: readonly Sequence[], temperature: number, weights?: Weights): { logprobs: Float32Array; entropy: Float32Array } {
    if (sequences.length === 0) return { logprobs: new Float32Array(0), entropy: new Float32Array(0) };
    const batch = layout(sequences, this.arch);
    const [logp, entropy] = tf.tidy(() => {
      const params: Params = weights ? new Map([...this.params].map(([name, v]) => [name, tf.tensor(checked(weights, name, v.size), v.shape)])) : this.params;
      const scores = nextTokenScores(this.arch, params, batch, temperature);
      return [scores.logp, scores.entropy];
    });
    const out = { logprobs: gather(logp, batch), entropy: gather(entropy, batch) };
    logp.dispose();
    entropy.dispose();
    return out;
  }

  /** Teacher-forced NLL of the model's own distribution (T = 1), the token mean over every response token (eos included). */
  sftStep(sequences: readonly Sequence[], adam: AdamSettings): SftStepResult {
    const batch = layout(sequences, this.arch);
    const tokens = batch.responsePositions.length;
    if (tokens === 0) throw new Error("sftStep: the batch has no response tokens to train on");
    const weights = positionValues(new Float32Array(tokens).fill(1 / tokens), batch);
    const step = this.step(adam, () => {
      const { logp } = nextTokenScores(this.arch, this.params, batch, 1, this.training(0));
      return { loss: weightedSum(tf.neg(logp), tf.tensor1d(weights)), extras: {} };
    });
    return { loss: step.loss, tokens, gradNorm: step.gradNorm, applied: step.applied, nonFinite: step.nonFinite };
  }

  /**
   * PPO on the rollouts (docs/algorithms.md §1), plus KL, the entropy bonus and the expert's SFT
   * term: CHORD (1 - mu) L_RL + mu L_SFT, or mix L_RL + w L_SFT (§2).
   */
  rlStep(input: RlStepInput, adam: AdamSettings): RlStepResult {
    const batch = layout(input.sequences, this.arch);
    const w = positionValues(input.lossWeights, batch);
    const a = positionValues(input.advantages, batch);
    const old = positionValues(input.oldLogprobs, batch);
    const ref = input.kl && positionValues(input.kl.refLogprobs, batch);
    const expertBatch = input.expert && input.expert.sequences.length > 0 ? layout(input.expert.sequences, this.arch) : undefined;
    const step = this.step(adam, () => {
      const { logp, entropy } = nextTokenScores(this.arch, this.params, batch, input.temperature, this.training(0));
      const weights = tf.tensor1d(w);
      const ppo = ppoTokenLoss(logp, tf.tensor1d(old), tf.tensor1d(a), input.clip);
      const policyLoss = weightedSum(ppo.loss, weights);
      const kl = input.kl && ref ? weightedSum(klTokens(logp, tf.tensor1d(ref), input.kl.estimator), weights) : tf.scalar(0);
      const meanEntropy = weightedSum(entropy, weights);
      let loss = tf.sub(tf.add(policyLoss, tf.mul(kl, input.kl?.coef ?? 0)), tf.mul(meanEntropy, input.entropyCoef));
      let sft: tf.Scalar = tf.scalar(0);
      if (input.expert) {
        // No expert tokens this step: L_SFT = 0, and CHORD still scales L_RL by 1 - mu.
        if (expertBatch && expertBatch.responsePositions.length > 0) {
          const tokens = expertBatch.responsePositions.length;
          const expertWeights = tf.tensor1d(positionValues(new Float32Array(tokens).fill(1 / tokens), expertBatch));
          const phi = "phi" in input.expert && input.expert.phi;
          const expertLogp = nextTokenScores(this.arch, this.params, expertBatch, input.temperature, this.training(1)).logp;
          sft = weightedSum(sftTokenLoss(expertLogp, phi), expertWeights);
        }
        loss = "mu" in input.expert ? tf.add(tf.mul(loss, 1 - input.expert.mu), tf.mul(sft, input.expert.mu)) : tf.add(loss, tf.mul(sft, input.expert.weight));
      }
      const clippedCount = tf.sum<tf.Scalar>(tf.mul(tf.cast(ppo.clipped, "float32"), tf.cast(tf.greater(weights, 0), "float32")));
      return { loss: loss as tf.Scalar, extras: { policyLoss, kl, entropy: meanEntropy, sftLoss: sft, clippedCount } };
    });
    const { policyLoss, kl, entropy, sftLoss, clippedCount } = step.extras;
    const counted = input.lossWeights.reduce((n, x) => n + (x > 0 ? 1 : 0), 0);
    return {
      loss: step.loss,
      policyLoss,
      kl,
      entropy,
      clipFraction: counted > 0 ? clippedCount / counted : 0,
      sftLoss: input.expert ? sftLoss : undefined,
      gradNorm: step.gradNorm,
      applied: step.applied,
      nonFinite: step.nonFinite,
    };
  }

  dispose(): void {
    this.adam.dispose();
    for (const v of this.params.values()) v.dispose();
  }

  /** A training pass's options: dropout's generator for pass `pass` of the coming update. */
  private training(pass: number): PassOptions {
    if (!(this.arch.dropout > 0)) return { training: true };
    const step = this.adam.updates;
    return { training: true, noise: mulberry32(mix(mix(mix(0x9e3779b9, this.seed), step), pass)) };
  }

  /**
   * Gradients of `objective`; applied only when the loss and their norm are finite. `extras` are
   * scalars the objective computed on the way (reported, not differentiated), read back by name.
   */
  private step<K extends string>(
    adam: AdamSettings,
    objective: () => { loss: tf.Scalar; extras: Record<K, tf.Scalar> },
  ): Applied & { loss: number; extras: Record<K, number> } {
    let kept: [string, tf.Scalar][] = [];
    const { value, grads } = tf.tidy(() =>
      tf.variableGrads(() => {
        const result = objective();
        kept = Object.entries<tf.Scalar>(result.extras).map(([name, t]) => [name, tf.keep(t)]);
        return result.loss;
      }, [...this.params.values()]),
    );
    const loss = value.arraySync();
    const extraValues = Object.fromEntries(kept.map(([name, t]) => [name, t.arraySync()])) as Record<K, number>;
    value.dispose();
    tf.dispose(kept.map(([, t]) => t));
    try {
      if (!Number.isFinite(loss)) return { loss, extras: extraValues, gradNorm: NaN, applied: false, nonFinite: "loss" };
      const flat = this.adam.flatten(grads);
      try {
        const gradNorm = Adam.globalNorm(flat);
        if (!Number.isFinite(gradNorm)) return { loss, extras: extraValues, gradNorm, applied: false, nonFinite: "gradient" };
        this.adam.apply(flat, gradNorm, adam);
        return { loss, extras: extraValues, gradNorm, applied: true };
      } finally {
        flat.dispose();
      }
    } finally {
      tf.dispose(grads);
    }
  }
}

function checked(weights: Weights, name: string, size: number): Float32Array {
  const values = weights.get(name);
  if (values === undefined || values.length !== size)
    throw new Error(`weights: \`${name}\` ${values ? `has ${values.length} values, expected ${size}` : "is missing"}`);
  return values;
}

/** Flat response-token values placed at the positions that predict them ([N * L], 0 elsewhere). */
function positionValues(values: Float32Array, batch: Layout): Float32Array {
  if (values.length !== batch.responsePositions.length) {
    throw new Error(`expected ${batch.responsePositions.length} per-token values (one per response token), got ${values.length}`);
  }
  const out = new Float32Array(batch.rows * batch.length);
  for (const [j, p] of batch.responsePositions.entries()) out[p] = values[j]!;
  return out;
}

/** The response tokens' values out of a per-position tensor ([N * L], which responsePositions index). */
function gather(t: tf.Tensor, batch: Layout): Float32Array {
  const all = t.dataSync();
  return Float32Array.from(batch.responsePositions, (p) => all[p]!);
}

/** One round of a 32-bit integer hash (murmur3's finaliser) folding `value` into `h`. */
function mix(h: number, value: number): number {
  let x = (h ^ Math.imul(value | 0, 0xcc9e2d51)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
