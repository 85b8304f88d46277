/**
 * Training throughput of the engine, for the README's figures and for checking a change to
 * tf-policy.ts against the DESIGN.md measurement (~9.5 Adam steps/s for a 116k-parameter model
 * at batch 32 x 32 on wasm). Not a test: timings belong to `npm run bench`, never to asserts.
 * Run from a build: `node dist/runtime/trainer/speed.js [wasm|cpu] [steps]`.
 */
import { pathToFileURL } from "node:url";
import { initialWeights, parameterCount, type Architecture } from "../policy/architecture.js";
import type { Sequence } from "../policy/sequence.js";
import { TrainingEngine } from "./engine.js";

export interface Speed {
  readonly backend: string;
  readonly parameters: number;
  readonly stepsPerSecond: number;
  readonly tokensPerSecond: number;
}

/** SFT steps on `rows` synthetic rows of `prompt + response` tokens; the first two steps warm up. */
export async function measureSft(arch: Architecture, device: "cpu" | "wasm", steps: number, rows = 32, prompt = 8, response = 32): Promise<Speed> {
  const engine = await TrainingEngine.create(arch, initialWeights(arch, 1), device);
  const token = (i: number) => i % arch.eos;
  const batch: Sequence[] = Array.from({ length: rows }, (_, r) => ({
    prompt: Array.from({ length: prompt }, (_, i) => token(r + i)),
    response: Array.from({ length: response }, (_, i) => token(3 * r + i)),
  }));
  const adam = { lr: 1e-3, betas: [0.9, 0.999] as [number, number], weightDecay: 0.01, clipGrad: 1 };
  for (let i = 0; i < 2; i++) engine.sftStep(batch, adam);
  const started = performance.now();
  for (let i = 0; i < steps; i++) engine.sftStep(batch, adam);
  const seconds = (performance.now() - started) / 1000;
  engine.dispose();
  return { backend: engine.backend, parameters: parameterCount(arch), stepsPerSecond: steps / seconds, tokensPerSecond: (steps * rows * response) / seconds };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const device = process.argv[2] === "cpu" ? "cpu" : "wasm";
  const steps = Number(process.argv[3] ?? 10);
  const arch: Architecture = { layers: 2, dModel: 64, heads: 4, context: 96, vocab: 24, eos: 23, dropout: 0 };
  const s = await measureSft(arch, device, steps);
  console.log(`${s.backend}: ${s.parameters} parameters, batch 32 x (8 + 32) tokens: ${s.stepsPerSecond.toFixed(2)} SFT steps/s, ${Math.round(s.tokensPerSecond)} trained tokens/s`);
}
