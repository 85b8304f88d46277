/**
 * The key of a stage's result in the stage cache (runtime/stage-cache/README.md "The key"): the
 * sha256 of the canonical JSON of everything that determines what the stage computes, and of
 * nothing else, so that two recipes sharing a warm-up share its key and a change to anything the
 * warm-up reads gives it a new one.
 *
 * In it: the stages up to and including this one (a stage starts from the policy the stages
 * before it left, and its KL references are their policies), the policy, the seed, the kernels
 * that train and sample (their float results differ), the datasets and reward sources those
 * stages read with the content of every file behind them (a JS/TS reward's module and the files it
 * loads, when the caller says which: `CodeLoads`), and STAGE_CACHE_VERSION. Left out:
 * the recipe's name, description and hash, `run.out`, `checkpoint_every` (where the run saves,
 * not what it computes), later stages, and datasets and rewards no stage up to this one reads.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { canonicalJson } from "../../plan/canonical-json.js";
import { leafNames } from "../../plan/plan-rule.js";
import type { Dataset, Plan, RewardSource, Stage } from "../../plan/plan.js";
import { fileDigest } from "./file-digest.js";

/**
 * Raised whenever the runtime's numerics change (an op, a kernel choice, a task generator, the
 * order of random draws): every entry stored before then stops matching (runtime/README.md).
 */
export const STAGE_CACHE_VERSION = 1;

/** What trains and what samples: the cache never hands one backend's floats to another. */
export interface Kernels {
  /** The training engine's (TrainingEngine.kernels): `wasm`, `cpu` or the tfjs-node package. */
  readonly training: string;
  /** onnxruntime's device: `cpu` or `gpu` (session.ts, samplerDevice). */
  readonly sampling: string;
}

/**
 * The files a JS/TS reward module loads by relative specifiers, through every module so loaded
 * (compiler/outside/module-loads.ts, which the commands pass in: finding them lexes JavaScript,
 * which the runtime's layer does not).
 */
export type CodeLoads = (module: string) => Promise<readonly string[]>;

export interface StageKey {
  readonly key: string;
  /** What `key` hashes, kept in the entry so that a mismatch can be shown and checked. */
  readonly material: Record<string, unknown>;
}

/** One key per stage of the plan, in run order: the sweep runner orders its points by shared prefixes of these. */
export async function stageKeys(plan: Plan, kernels: Kernels, loads?: CodeLoads): Promise<string[]> {
  return (await keyedStages(plan, kernels, loads)).map((stage) => stage.key);
}

/** Each stage's key with its material. */
export async function keyedStages(plan: Plan, kernels: Kernels, loads?: CodeLoads): Promise<StageKey[]> {
  const keys: StageKey[] = [];
  const datasets = new Set<string>();
  const rewards = new Set<string>();
  for (const [index, stage] of plan.stages.entries()) {
    const read = stageInputs(stage);
    for (const name of read.datasets) datasets.add(name);
    for (const name of read.rewards) rewards.add(name);
    const material = {
      runtime: STAGE_CACHE_VERSION,
      plan_version: plan.version,
      seed: plan.settings.seed,
      kernels,
      policy: plan.policy,
      stages: plan.stages.slice(0, index + 1),
      datasets: await Promise.all(plan.datasets.filter((d) => datasets.has(d.name)).map(datasetMaterial)),
      rewards: await Promise.all(plan.rewards.filter((r) => rewards.has(r.name)).map((r) => rewardMaterial(r, loads))),
    };
    keys.push({ key: keyOf(material), material });
  }
  return keys;
}

/** The key of some key material: what an entry's key is checked against. */
export function keyOf(material: unknown): string {
  return sha256Hex(canonicalJson(material));
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The datasets and reward sources a stage reads: its graph's and its eval's. */
function stageInputs(stage: Stage): { datasets: string[]; rewards: string[] } {
  const datasets: string[] = [];
  const rewards: string[] = [];
  for (const node of stage.graph) {
    if (node.op === "Sample" || node.op === "Batch") datasets.push(node.data);
    if (node.op === "Expert") datasets.push(node.expert.data);
    if (node.op === "Score") rewards.push(node.reward);
  }
  if (stage.eval) {
    datasets.push(stage.eval.data);
    for (const { expr } of stage.eval.rewards) rewards.push(...leafNames(expr, "reward"));
  }
  return { datasets, rewards };
}

/** A file-backed source by its content, not by where the file lies: two checkouts share the key. */
async function datasetMaterial(dataset: Dataset): Promise<unknown> {
  if (dataset.source.kind !== "jsonl") return dataset;
  const { path: file, ...source } = dataset.source;
  return { ...dataset, source: { ...source, sha256: await fileDigest(file) } };
}

async function rewardMaterial(reward: RewardSource, loads: CodeLoads | undefined): Promise<unknown> {
  if (reward.source.kind !== "onnx" && reward.source.kind !== "js") return reward;
  const { path: file, ...source } = reward.source;
  const sha256 = await fileDigest(file);
  const files = reward.source.kind === "js" && loads !== undefined ? await loads(file) : [];
  if (files.length === 0) return { ...reward, source: { ...source, sha256 } };
  // Each loaded file by its place beside the module and its content: another checkout keeps the key.
  const loaded = await Promise.all(files.map(async (f) => ({ path: path.relative(path.dirname(file), f), sha256: await fileDigest(f) })));
  loaded.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { ...reward, source: { ...source, sha256, loads: loaded } };
}
