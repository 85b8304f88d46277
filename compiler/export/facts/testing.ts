/**
 * Test support: what an exported config asks of an engine release that the release's facts do
 * not have. Every key it writes must be a key of the release's config, and every registered name
 * and argument it writes (or leaves to a default) must be registered and accepted there, the way
 * the engine's start-up reads them. Also an engine's files in memory, for the generators' tests.
 */
import { ENGINES, type ExportTarget } from "../engines.js";
import { algorithmDefault } from "../trinity-algorithm.js";
import { VERL_DIRECTIVES } from "../verl.js";
import type { EngineFiles } from "./engine-files.js";
import { acceptsArg, type EngineFacts, type Facts, keyFact, registered } from "./facts.js";

/** Every path the config writes, maps and leaves: `a.b`, and `a[].b` inside a list of maps. */
export function writtenPaths(value: unknown, prefix = ""): string[] {
  if (Array.isArray(value)) return value.some((v) => typeof v === "object" && v !== null) ? value.flatMap((v) => writtenPaths(v, `${prefix}[]`)) : [];
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => {
    const at = prefix === "" ? key : `${prefix}.${key}`;
    return [at, ...writtenPaths(inner, at)];
  });
}

/** The keys a config writes that the release's config does not have (verl's Hydra directives aside). */
export function unknownKeys(target: ExportTarget, facts: EngineFacts, config: Record<string, unknown>): string[] {
  const directives: readonly string[] = target === "verl" ? VERL_DIRECTIVES : [];
  return [...new Set(writtenPaths(config))].filter((key) => !directives.includes(key.replace(/\..*$/, "")) && keyFact(facts, key) === undefined);
}

const at = (config: unknown, path: string): unknown =>
  path.split(".").reduce<unknown>((node, key) => (typeof node === "object" && node !== null ? (node as Record<string, unknown>)[key] : undefined), config);

/** The registered names and arguments a config uses that the release lacks, one line each. */
export function registryProblems(target: ExportTarget, facts: EngineFacts, config: Record<string, unknown>): string[] {
  return target === "verl" ? verlProblems(facts, config) : trinityProblems(facts, config);
}

function verlProblems(facts: EngineFacts, config: Record<string, unknown>): string[] {
  const uses: [string, string][] = [
    ["actor_rollout_ref.actor.kl_loss_type", "kl_loss_type"],
    ["actor_rollout_ref.actor.loss_agg_mode", "loss_agg_mode"],
    ["actor_rollout_ref.actor.policy_loss.loss_mode", "policy_loss"],
    ["algorithm.adv_estimator", "adv_estimator"],
  ];
  return uses.flatMap(([key, registry]) => {
    const name = at(config, key);
    return name === undefined || registered(facts, registry, String(name)) ? [] : [`${key}: ${String(name)} is not in ${registry}`];
  });
}

/** The `algorithm` fields that name a registered class, with the registry and the field of its arguments. */
const TRINITY_FIELDS: readonly [string, string, string][] = [
  ["advantage_fn", "ADVANTAGE_FN", "advantage_fn_args"],
  ["policy_loss_fn", "POLICY_LOSS_FN", "policy_loss_fn_args"],
  ["kl_loss_fn", "KL_FN", "kl_loss_fn_args"],
  ["kl_penalty_fn", "KL_FN", "kl_penalty_fn_args"],
  ["entropy_loss_fn", "ENTROPY_LOSS_FN", "entropy_loss_fn_args"],
  ["sample_strategy", "SAMPLE_STRATEGY", "sample_strategy_args"],
];

function trinityProblems(facts: EngineFacts, config: Record<string, unknown>): string[] {
  const stages = Array.isArray(config.stages) ? (config.stages as Record<string, unknown>[]) : [config];
  return stages.flatMap((stage, i) => {
    const algorithm = (stage.algorithm ?? config.algorithm) as Record<string, unknown> | undefined;
    if (algorithm === undefined) return [];
    const where = Array.isArray(config.stages) ? `stages[${i}].algorithm` : "algorithm";
    const type = String(algorithm.algorithm_type ?? facts.keys["algorithm.algorithm_type"]?.default);
    const typeEntry = registered(facts, "ALGORITHM_TYPE", type);
    if (typeEntry === undefined) return [`${where}.algorithm_type: ${type} is not in ALGORITHM_TYPE`];
    const explores = String(stage.mode ?? config.mode ?? facts.keys.mode?.default) !== "train";
    const problems: string[] = [];
    for (const [field, registry, argsField] of TRINITY_FIELDS) {
      const name = algorithm[field] ?? algorithmDefault(facts, type, field);
      if (name === undefined || name === null) continue;
      const entry = registered(facts, registry, String(name));
      if (entry === undefined) {
        problems.push(`${where}.${field}: ${String(name)} is not in ${registry}`);
        continue;
      }
      for (const arg of Object.keys((algorithm[argsField] as object | undefined) ?? {}))
        if (!acceptsArg(entry, arg)) problems.push(`${where}.${argsField}.${arg}: ${registry} ${String(name)} takes no ${arg}`);
      // trinity/buffer/pipelines/experience_pipeline.py: the explorer's experience pipeline (no
      // explorer runs in `train` mode) asserts an advantage it computes "can" be computed there.
      if (field === "advantage_fn" && explores && typeEntry.attributes?.compute_advantage_in_trainer === false && entry.computeInTrainer === true)
        problems.push(`${where}.advantage_fn: ${String(name)} can only be computed in the trainer, and ${type} computes it in the experience pipeline`);
    }
    const aggregate = algorithm.loss_agg_mode;
    if (aggregate !== undefined && !registered(facts, "loss_agg_mode", String(aggregate)))
      problems.push(`${where}.loss_agg_mode: ${String(aggregate)} is not in loss_agg_mode`);
    return problems;
  });
}

/** An engine's files in memory: a handful of fixtures for a generator's tests. */
export function memoryFiles(files: Record<string, string>, commit = ENGINES.verl.commit): EngineFiles {
  return {
    commit,
    read: (file) => files[file],
    filesContaining: (text, folder) =>
      Object.keys(files)
        .filter((f) => f.startsWith(`${folder}/`) && files[f]!.includes(text))
        .sort(),
  };
}

/** The pinned facts with some registered names (or arguments) taken away: a release that lacks them. */
export function factsWithout(facts: Facts, target: ExportTarget, removed: { registry: string; name: string; arg?: string }[]): Facts {
  const copy = structuredClone(facts) as { -readonly [T in ExportTarget]: EngineFacts };
  for (const { registry, name, arg } of removed) {
    const names = copy[target].registries[registry]!.names;
    if (arg === undefined) delete names[name];
    else {
      delete names[name]!.args![arg];
      delete names[name]!.defaultArgs?.[arg];
    }
  }
  return copy;
}
