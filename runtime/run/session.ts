/**
 * What every step of a run works with: the plan, the policy's architecture and tokenizer, the
 * datasets (loaded and tokenized once, before the first step, so a bad line stops the run
 * before any training), the two engines, the reward scorers and the KL reference policies.
 */
import type { Plan } from "../../plan/plan.js";
import { architectureOf, initialWeights, type Architecture, type Weights } from "../policy/architecture.js";
import { createOnnxSampler, type OnnxSampler } from "../sampler/onnx-sampler.js";
import { createTokenizer, type Tokenizer } from "../tokenizer.js";
import { TrainingEngine } from "../trainer/engine.js";
import { loadDataset, type TokenizedExample } from "./datasets.js";
import { ScorerCache } from "./scorer-cache.js";

export interface Session {
  readonly plan: Plan;
  readonly arch: Architecture;
  readonly tokenizer: Tokenizer;
  readonly datasets: ReadonlyMap<string, TokenizedExample[]>;
  readonly engine: TrainingEngine;
  readonly sampler: OnnxSampler;
  readonly scorers: ScorerCache;
  /** KL reference policies by stage name, and `init`: the weights the run started from. */
  readonly references: Map<string, Weights>;
}

export async function openSession(plan: Plan): Promise<Session> {
  const arch = architectureOf(plan.policy);
  if (plan.policy.kind !== "transformer") throw new Error("unreachable: architectureOf refuses hub models");
  const tokenizer = createTokenizer(plan.policy.tokenizer);
  const datasets = new Map<string, TokenizedExample[]>();
  for (const dataset of plan.datasets) datasets.set(dataset.name, await loadDataset(dataset, tokenizer, arch));
  const init = initialWeights(arch, plan.settings.seed);
  const engine = await TrainingEngine.create(arch, init, plan.settings.device, { seed: plan.settings.seed });
  const threads = threadLimit(process.env.ROUX_THREADS);
  const sampler = await createOnnxSampler(arch, { device: samplerDevice(plan), threads });
  return { plan, arch, tokenizer, datasets, engine, sampler, scorers: new ScorerCache(threads), references: new Map([["init", init]]) };
}

/** onnxruntime's device: the GPU only when the recipe asks for one by name. */
export function samplerDevice(plan: Plan): "cpu" | "gpu" {
  return plan.settings.device === "gpu" ? "gpu" : "cpu";
}

/**
 * `ROUX_THREADS=N`: onnxruntime's threads for sampling and reward models. Unset, each engine
 * picks its own (two for sampling); runs side by side on one machine set 1 so that they do not
 * fight over the cores. Anything but a whole number >= 1 is refused, not ignored.
 */
function threadLimit(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`ROUX_THREADS=${value}: give a whole number of threads, at least 1`);
  return n;
}

export async function closeSession(session: Session): Promise<void> {
  await session.scorers.close();
  await session.sampler.close();
  session.engine.dispose();
}

/** The dataset's examples; the plan names only datasets it declares. */
export function examplesOf(session: Session, name: string): TokenizedExample[] {
  const examples = session.datasets.get(name);
  if (examples === undefined) throw new Error(`plan: no dataset \`${name}\``);
  return examples;
}
