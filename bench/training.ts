/**
 * The local runtime's engines, for `npm run bench`:
 * - SFT training tokens/s on the wasm backend, and the model FLOPs utilisation: the step's
 *   FLOPs (compiler/plan/cost.ts, the 6N rule plus attention) per second over the backend's
 *   own matmul peak, measured in the same run (`matmulPeak`);
 * - rollout tokens/s of the ONNX sampler with its KV cache, against the same sampling done in
 *   tfjs (the same chooseToken, the whole prefix recomputed for every token, as a framework
 *   without a cache does), medians of repeated runs. Goal: the ONNX sampler at least 5x faster.
 *   Also its model FLOPs per second (the cost model's causal forward) as a fraction of
 *   onnxruntime's matmul peak (ort-peak.ts).
 *
 * Training and the peak are timed in CPU time, not wall time: tfjs-wasm runs every kernel on
 * the calling thread (one thread under Node), so the process's CPU time is the work itself,
 * and a machine shared with other jobs slows the wall clock of both sides unevenly.
 */
import * as tf from "@tensorflow/tfjs";
import { forwardFlops, trainStepFlops } from "../compiler/plan/cost.js";
import type { Plan } from "../plan/plan.js";
import { mulberry32, type Rng } from "../runtime/ops/rng.js";
import { architectureOf, initialWeights, MLP_WIDTH_FACTOR, parameterSpecs, type Architecture, type Weights } from "../runtime/policy/architecture.js";
import type { Sequence } from "../runtime/policy/sequence.js";
import { chooseToken } from "../runtime/sampler/choose-token.js";
import { createOnnxSampler } from "../runtime/sampler/onnx-sampler.js";
import { TrainingEngine } from "../runtime/trainer/engine.js";
import { selectBackend } from "../runtime/trainer/backend.js";
import { layout, logits } from "../runtime/trainer/tf-policy.js";
import { medianMillisAsync } from "./measure.js";
import { ortMatmulPeak } from "./ort-peak.js";

/** The flagship recipe's policy: 2 layers, d_model 64, 4 heads, context 96, the arith alphabet. */
const MODEL: Extract<Plan["policy"], { kind: "transformer" }> = {
  kind: "transformer",
  name: "policy",
  layers: 2,
  d_model: 64,
  heads: 4,
  context: 96,
  dropout: 0,
  tokenizer: { kind: "chars", alphabet: "0123456789+-*/()= \nanswer:" },
};
/** The engines' view of MODEL, so the FLOPs counted are those of the model that runs. */
const ARCH: Architecture = architectureOf(MODEL);

const token = (i: number) => i % ARCH.eos;

export interface EngineLine {
  name: string;
  value: string;
  baseline: string;
  ratio: string;
  goal: string;
}

/** Timing windows: each figure is the median window, printed with the fastest and slowest. */
const WINDOWS = 7;

/** CPU milliseconds per call of `repeats` calls of `run`. */
function cpuMillis(run: () => void, repeats: number): number {
  const before = process.cpuUsage();
  for (let i = 0; i < repeats; i++) run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / repeats;
}

/** The median of `values` and their range, as text with `digits` decimals and `unit`. */
function summary(values: readonly number[], digits: number, unit: string): { median: number; text: string } {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return { median, text: `${median.toFixed(digits)}${unit} (windows ${sorted[0]!.toFixed(digits)}-${sorted.at(-1)!.toFixed(digits)})` };
}

export async function trainingBench(): Promise<EngineLine> {
  const rows = 32;
  const prompt = 8;
  const response = 32;
  const engine = await TrainingEngine.create(ARCH, initialWeights(ARCH, 1), "wasm");
  const batch: Sequence[] = Array.from({ length: rows }, (_, r) => ({
    prompt: Array.from({ length: prompt }, (_, i) => token(r + i)),
    response: Array.from({ length: response }, (_, i) => token(3 * r + i)),
  }));
  const adam = { lr: 1e-3, betas: [0.9, 0.999] as [number, number], weightDecay: 0, clipGrad: 1 };
  const stepFlops = trainStepFlops(MODEL, rows, prompt + response);
  const products = matmulPeak(rows * (prompt + response));
  // Step and peak alternate window by window, so each MFU sample sees one load of the machine.
  const steps: number[] = [];
  const peaks: number[] = [];
  for (let w = 0; w <= WINDOWS; w++) {
    const step = cpuMillis(() => engine.sftStep(batch, adam), 3);
    const best = products.window();
    if (w === 0) continue; // warm-up
    steps.push(step);
    peaks.push(best);
  }
  engine.dispose();
  products.dispose();
  const rates = steps.map((millis) => stepFlops / (millis / 1000));
  const step = summary(steps, 1, " ms CPU/step");
  const rate = summary(
    rates.map((r) => r / 1e9),
    2,
    " GFLOP/s",
  );
  const peak = summary(
    peaks.map((p) => p / 1e9),
    1,
    " GFLOP/s",
  );
  const mfu = summary(
    rates.map((r, i) => (100 * r) / peaks[i]!),
    1,
    "%",
  );
  return {
    name: `SFT training, ${rows}x${prompt + response} tokens (${engine.backend.split(" ")[0]}, 1 thread)`,
    value: `${Math.round((rows * response) / (step.median / 1000))} tok/s, ${rate.text}, ${step.text}`,
    baseline: `matmul peak ${peak.text}`,
    ratio: `MFU ${mfu.text}`,
    goal: "MFU >= 60%",
  };
}

/**
 * The backend's matmul peak, on the backend and thread the training runs on: per window, the
 * best rate over the products a step of this model runs (its widest activation products,
 * forward and transposed for the weight gradients, with `tokens` rows) and a 256x256 square,
 * so the denominator is what the backend's own kernel reaches at its best, not a shape chosen
 * to be slow. Kernels run synchronously on wasm: nothing is read back inside the timed loop.
 */
function matmulPeak(tokens: number): { window: () => number; dispose: () => void } {
  const d = ARCH.dModel;
  const hidden = MLP_WIDTH_FACTOR * d;
  const products = (
    [
      [tokens, d, hidden],
      [tokens, hidden, d],
      [d, tokens, hidden],
      [256, 256, 256],
    ] as const
  ).map(([m, k, n]) => ({ a: tf.randomNormal([m, k]), b: tf.randomNormal([k, n]), flops: 2 * m * k * n }));
  return {
    window: () =>
      Math.max(
        ...products.map(({ a, b, flops }) => {
          const repeats = Math.max(1, Math.round(1e8 / flops));
          return flops / (cpuMillis(() => tf.matMul(a, b).dispose(), repeats) / 1000);
        }),
      ),
    dispose: () => tf.dispose(products.flatMap(({ a, b }) => [a, b])),
  };
}

export async function samplingBench(): Promise<EngineLine> {
  const weights = initialWeights(ARCH, 2);
  const prompts = Array.from({ length: 64 }, (_, r) => Array.from({ length: 10 }, (_, i) => token(r + 2 * i)));
  const newTokens = 32;
  // eos is never drawn from these weights often; the settings cap every row at newTokens.
  const settings = (rng: Rng) => ({ temperature: 1, topP: 1, maxTokens: newTokens, rng });
  const sampler = await createOnnxSampler(ARCH);
  // The same seed every run: the same responses, so every run samples the same tokens.
  let onnx: Sequence[] = [];
  const onnxMillis = await medianMillisAsync(async () => {
    onnx = await sampler.sample(weights, prompts, settings(mulberry32(1)));
  }, 7);
  await sampler.close();
  const onnxTokens = onnx.reduce((t, s) => t + s.response.length, 0);
  // The forward passes the cache made: each prompt token and each response token but the last
  // (nothing is run after the final draw), each attending to the positions before it.
  const flops = onnx.reduce((f, s) => f + forwardFlops(MODEL, 1, s.prompt.length + s.response.length - 1, true), 0);
  const peak = await ortMatmulPeak();

  // The baseline's backend, chosen here rather than left to whichever bench ran before.
  await selectBackend("wasm");
  let tfTokens = 0;
  const tfMillis = await medianMillisAsync(
    async () => {
      tfTokens = tfSample(weights, prompts, newTokens, mulberry32(1));
    },
    3,
    1,
  );
  const onnxRate = onnxTokens / (onnxMillis / 1000);
  const tfRate = tfTokens / (tfMillis / 1000);
  const achieved = flops / (onnxMillis / 1000);
  return {
    name: `rollouts, ${prompts.length} prompts x ${newTokens} tokens (onnxruntime, KV cache)`,
    value: `${Math.round(onnxRate)} tok/s, ${(achieved / 1e9).toFixed(2)} GFLOP/s = ${((100 * achieved) / peak).toFixed(1)}% of onnxruntime's matmul peak ${(peak / 1e9).toFixed(1)} GFLOP/s`,
    baseline: `tfjs wasm, no cache: ${Math.round(tfRate)} tok/s`,
    ratio: `${(onnxRate / tfRate).toFixed(1)}x faster`,
    goal: "at least 5x",
  };
}

/** The same sampling in tfjs: the whole prefix through the model for every new token. */
function tfSample(weights: Weights, prompts: number[][], newTokens: number, rng: Rng): number {
  const params = new Map(parameterSpecs(ARCH).map((spec) => [spec.name, tf.tensor(weights.get(spec.name)!, spec.shape as number[])]));
  const rows = prompts.map((p) => ({ prompt: p, response: [] as number[] }));
  let running = rows.filter(() => true);
  let tokens = 0;
  for (let t = 0; t < newTokens && running.length > 0; t++) {
    const batch = layout(running, ARCH);
    const out = tf.tidy(() => logits(ARCH, params, batch));
    const values = out.dataSync();
    out.dispose();
    for (const [i, row] of running.entries()) {
      const last = i * batch.length + row.prompt.length + row.response.length - 1;
      row.response.push(chooseToken(values.subarray(last * ARCH.vocab, (last + 1) * ARCH.vocab), 1, 1, rng).id);
      tokens++;
    }
    running = running.filter((r) => r.response.at(-1) !== ARCH.eos);
  }
  tf.dispose([...params.values()]);
  return tokens;
}
