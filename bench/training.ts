/**
 * The local runtime's engines, for `npm run bench`:
 * - SFT training tokens/s on the wasm backend, and the model FLOPs utilisation: the step's
 *   FLOPs (compiler/plan/cost.ts, the 6N rule plus attention) per second over the backend's
 *   own matmul peak, measured in the same run (`matmulPeak`);
 * - rollout tokens/s of the ONNX sampler with its KV cache, against the same sampling done in
 *   tfjs (the same chooseToken, the whole prefix recomputed for every token, as a framework
 *   without a cache does). Goal: the ONNX sampler at least 5x faster.
 *
 * Training and the peak are timed in CPU time, not wall time: tfjs-wasm runs every kernel on
 * the calling thread (one thread under Node), so the process's CPU time is the work itself,
 * and a machine shared with other jobs slows the wall clock of both sides unevenly.
 */
import * as tf from "@tensorflow/tfjs";
import { trainStepFlops } from "../compiler/plan/cost.js";
import type { Plan } from "../plan/plan.js";
import { mulberry32, type Rng } from "../runtime/ops/rng.js";
import { architectureOf, initialWeights, MLP_WIDTH_FACTOR, parameterSpecs, type Architecture, type Weights } from "../runtime/policy/architecture.js";
import type { Sequence } from "../runtime/policy/sequence.js";
import { chooseToken } from "../runtime/sampler/choose-token.js";
import { createOnnxSampler } from "../runtime/sampler/onnx-sampler.js";
import { TrainingEngine } from "../runtime/trainer/engine.js";
import { layout, logits } from "../runtime/trainer/tf-policy.js";

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

/** Timing windows per figure: the median is reported, with the fastest and slowest window. */
const WINDOWS = 7;

/** CPU milliseconds of each of WINDOWS windows of `repeats` calls of `run`, after one warm-up window. */
function cpuWindows(run: () => void, repeats: number): number[] {
  const windows: number[] = [];
  for (let w = 0; w <= WINDOWS; w++) {
    const before = process.cpuUsage();
    for (let i = 0; i < repeats; i++) run();
    const used = process.cpuUsage(before);
    if (w > 0) windows.push((used.user + used.system) / 1000 / repeats);
  }
  return windows.sort((a, b) => a - b);
}

const median = (sorted: readonly number[]): number => sorted[Math.floor(sorted.length / 2)]!;

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
  const steps = cpuWindows(() => engine.sftStep(batch, adam), 3);
  engine.dispose();
  const stepFlops = trainStepFlops(MODEL, rows, prompt + response);
  const rate = (millis: number) => stepFlops / (millis / 1000);
  const peak = matmulPeak(rows * (prompt + response));
  const mfu = (millis: number) => (100 * rate(millis)) / peak.flops;
  return {
    name: `SFT training, ${rows}x${prompt + response} tokens (${engine.backend.split(" ")[0]}, 1 thread)`,
    value:
      `${Math.round((rows * response) / (median(steps) / 1000))} tok/s, ${(rate(median(steps)) / 1e9).toFixed(2)} GFLOP/s ` +
      `(${median(steps).toFixed(1)} ms CPU/step, windows ${steps[0]!.toFixed(1)}-${steps.at(-1)!.toFixed(1)})`,
    baseline: `matmul peak ${(peak.flops / 1e9).toFixed(1)} GFLOP/s (${peak.shape}, windows ${peak.spread})`,
    ratio: `MFU ${mfu(median(steps)).toFixed(1)}% (windows ${mfu(steps.at(-1)!).toFixed(1)}-${mfu(steps[0]!).toFixed(1)}%)`,
    goal: "MFU >= 60%",
  };
}

/**
 * The backend's matmul peak, on the backend and thread the training ran on: the best median
 * rate over the products a step of this model runs (its widest activation products, forward
 * and transposed for the weight gradients, with `tokens` rows) and a 256x256 square, so the
 * denominator is what the backend's own kernel reaches at its best, not a shape chosen to be
 * slow. Kernels run synchronously on wasm: nothing is read back inside the timed loop.
 */
function matmulPeak(tokens: number): { flops: number; shape: string; spread: string } {
  const d = ARCH.dModel;
  const hidden = MLP_WIDTH_FACTOR * d;
  const shapes: [number, number, number][] = [
    [tokens, d, hidden],
    [tokens, hidden, d],
    [d, tokens, hidden],
    [256, 256, 256],
  ];
  let best = { flops: 0, shape: "", spread: "" };
  for (const [m, k, n] of shapes) {
    const [a, b] = [tf.randomNormal([m, k]), tf.randomNormal([k, n])];
    const flops = 2 * m * k * n;
    const windows = cpuWindows(() => tf.matMul(a, b).dispose(), Math.max(1, Math.round(2e8 / flops)));
    tf.dispose([a, b]);
    const rate = (millis: number) => flops / (millis / 1000);
    if (rate(median(windows)) > best.flops) {
      best = {
        flops: rate(median(windows)),
        shape: `${m}x${k} @ ${k}x${n}`,
        spread: `${(rate(windows.at(-1)!) / 1e9).toFixed(1)}-${(rate(windows[0]!) / 1e9).toFixed(1)}`,
      };
    }
  }
  return best;
}

export async function samplingBench(): Promise<EngineLine> {
  const weights = initialWeights(ARCH, 2);
  const prompts = Array.from({ length: 64 }, (_, r) => Array.from({ length: 10 }, (_, i) => token(r + 2 * i)));
  const newTokens = 32;
  // eos is never drawn from these weights often; the settings cap every row at newTokens.
  const settings = (rng: Rng) => ({ temperature: 1, topP: 1, maxTokens: newTokens, rng });
  const sampler = await createOnnxSampler(ARCH);
  await sampler.sample(weights, prompts.slice(0, 4), settings(mulberry32(1)));
  let started = performance.now();
  const onnx = await sampler.sample(weights, prompts, settings(mulberry32(1)));
  const onnxSeconds = (performance.now() - started) / 1000;
  await sampler.close();
  const onnxTokens = onnx.reduce((t, s) => t + s.response.length, 0);

  started = performance.now();
  const tfTokens = tfSample(weights, prompts, newTokens, mulberry32(1));
  const tfSeconds = (performance.now() - started) / 1000;
  const onnxRate = onnxTokens / onnxSeconds;
  const tfRate = tfTokens / tfSeconds;
  return {
    name: `rollouts, ${prompts.length} prompts x ${newTokens} tokens (onnxruntime, KV cache)`,
    value: `${Math.round(onnxRate)} tok/s`,
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
