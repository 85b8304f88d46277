/**
 * An RL stage's `algorithm` block for Trinity-RFT, every registered name and argument in it
 * chosen from the facts at the pin (facts/trinity.json): the algorithm type is one whose
 * advantage is computed where the advantage function can be computed, the KL function is the
 * first registered name for the recipe's estimator, and an argument goes into `*_args` only if
 * the registered class accepts it. What the pin cannot express is E3401 at `roux check --target
 * trinity` (fact-capabilities.ts asks the same functions), so these only throw on a plan that
 * check refused.
 */
import { findNode, nodeOf } from "../plan/nodes.js";
import type { AdvantageOp, Kl, RlStage, Schedule } from "../../plan/plan.js";
import { acceptsArg, type EngineFacts, type Json, pinnedFacts, registered, type RegistryEntry } from "./facts/facts.js";
import { chordRows, trinitySplit } from "./layout.js";
import { VERL_AGGREGATE } from "./verl.js";

/** Roux's KL estimators by Trinity-RFT's KL_FN names, preferred first: `low_var_kl` is the clamped k3 Roux computes (docs/algorithms.md §1.8). */
export const TRINITY_KL_NAMES: Readonly<Record<Kl["estimator"], readonly string[]>> = { k1: ["k1"], k3: ["low_var_kl", "k3"] };

/** Roux's advantages by Trinity-RFT's ADVANTAGE_FN names. */
export const TRINITY_ADVANTAGE: Readonly<Record<"group_norm" | "rloo", string>> = { group_norm: "grpo", rloo: "rloo" };

/** The policy losses an export trains with: PPO's clipped loss, and CHORD's mix of it with SFT. */
export const TRINITY_PPO_LOSS = "ppo";
export const TRINITY_CHORD_LOSS = "mix_chord";
/** The algorithm type of an SFT stage. */
export const TRINITY_SFT = "sft";

/** The mix_chord arguments CHORD cannot be exported without: μ's schedule, φ and the batch split. */
export const CHORD_ARGS = [
  "mu_warmup_steps",
  "mu_decay_steps",
  "mu_peak",
  "mu_valley",
  "enable_phi_function",
  "clip_range_low",
  "clip_range_high",
  "use_dynamic_bsz",
  "ppo_mini_batch_size",
  "ngpus_trainer",
  "train_batch_size_usual",
  "train_batch_size_expert",
] as const;

/** The auxiliary buffer mix_chord reads its expert rows from. */
export const TRINITY_EXPERT_BUFFER = "sft_dataset";

const trinity = (): EngineFacts => pinnedFacts().trinity;

/** The KL_FN name for a Roux estimator at the pin: the first registered that takes the recipe's coefficient. */
export function trinityKl(estimator: Kl["estimator"], facts = trinity()): string | undefined {
  return TRINITY_KL_NAMES[estimator].find((name) => acceptsArg(registered(facts, "KL_FN", name), "kl_coef"));
}

/** The ADVANTAGE_FN name of a stage's advantage (one op: `roux check --target` refuses compositions). */
export function trinityAdvantage(op: AdvantageOp | undefined): string | undefined {
  return op?.kind === "group_norm" || op?.kind === "rloo" ? TRINITY_ADVANTAGE[op.kind] : undefined;
}

/** The policy loss a stage trains with. */
export function trinityPolicyLoss(stage: RlStage): string {
  return findNode(stage.graph, "Expert")?.expert.method === "chord" ? TRINITY_CHORD_LOSS : TRINITY_PPO_LOSS;
}

/** An algorithm field as a type leaves it: the type's default_config, else the validator's default. */
export function algorithmDefault(facts: EngineFacts, type: string, field: string): Json | undefined {
  return registered(facts, "ALGORITHM_TYPE", type)?.defaults?.[field] ?? facts.registries.ALGORITHM_TYPE?.defaults?.[field];
}

/**
 * The algorithm type that trains `policyLoss` with the advantage `advantage` computed where it
 * can be: Trinity-RFT computes an advantage in the experience pipeline unless the type says
 * `compute_advantage_in_trainer`, and the pipeline asserts the advantage function is not one
 * that "can only be computed in the trainer" (trinity/buffer/pipelines/experience_pipeline.py,
 * ExperiencePipeline). No critic: the recipe trains none; a reference model: the KL term reads
 * its log-probabilities. The type named like the advantage is preferred, then one whose default
 * advantage it is.
 */
export function trinityAlgorithmType(policyLoss: string, advantage: string, facts = trinity()): string | undefined {
  const fn = registered(facts, "ADVANTAGE_FN", advantage);
  if (fn === undefined || registered(facts, "POLICY_LOSS_FN", policyLoss) === undefined) return undefined;
  const types = Object.entries(facts.registries.ALGORITHM_TYPE?.names ?? {}).filter(
    ([name, entry]) =>
      algorithmDefault(facts, name, "policy_loss_fn") === policyLoss &&
      entry.attributes?.use_critic !== true &&
      entry.attributes?.use_reference !== false &&
      (fn.computeInTrainer === undefined || entry.attributes?.compute_advantage_in_trainer === fn.computeInTrainer),
  );
  const rank = ([name]: [string, RegistryEntry]) => (name === advantage ? 0 : algorithmDefault(facts, name, "advantage_fn") === advantage ? 1 : 2);
  return types.sort((a, b) => rank(a) - rank(b))[0]?.[0];
}

/** The registered class an algorithm type uses for `field` (`policy_loss_fn`, ...) unless the config names another. */
export function defaultEntry(facts: EngineFacts, type: string, field: string, registry: string): RegistryEntry | undefined {
  const name = algorithmDefault(facts, type, field);
  return typeof name === "string" ? registered(facts, registry, name) : undefined;
}

/** `values` kept to the arguments `entry` accepts; the capability table has refused a recipe whose value would be lost. */
function accepted(entry: RegistryEntry | undefined, values: Record<string, Json>): Record<string, Json> {
  return Object.fromEntries(Object.entries(values).filter(([arg]) => acceptsArg(entry, arg)));
}

const nonEmpty = (key: string, args: Record<string, Json>) => (Object.keys(args).length > 0 ? { [key]: args } : {});

export function trinityRlAlgorithm(stage: RlStage, optimizer: object, gpus: number, facts = trinity()): Record<string, unknown> {
  const loss = nodeOf(stage.graph, "Loss").loss;
  if (loss.objective !== "ppo") throw new Error("trinity: the RL stage's loss is not PPO");
  const op = nodeOf(stage.graph, "Advantage").ops[0];
  const advantage = trinityAdvantage(op);
  const policyLoss = trinityPolicyLoss(stage);
  const type = advantage === undefined ? undefined : trinityAlgorithmType(policyLoss, advantage, facts);
  if (advantage === undefined || type === undefined)
    throw new Error(`trinity: no algorithm type trains ${policyLoss} with ${op?.kind} (roux check --target reports this)`);
  const kl = loss.kl ? trinityKl(loss.kl.estimator, facts) : "none";
  if (kl === undefined) throw new Error("trinity: no KL function for the stage's estimator (roux check --target reports this)");
  const policy = registered(facts, "POLICY_LOSS_FN", policyLoss);
  const aggregate = VERL_AGGREGATE[loss.aggregate];
  const expert = findNode(stage.graph, "Expert")?.expert;
  const chord = chordRows(stage);
  const rows = chord ? chord.rollouts + chord.expert : stage.batch * stage.group;
  const policyArgs: Record<string, Json> = {
    ...(expert?.method === "chord" && chord
      ? {
          ...muArgs(expert.mu),
          enable_phi_function: expert.phi,
          use_dynamic_bsz: true,
          ppo_mini_batch_size: rows,
          ngpus_trainer: trinitySplit(gpus).trainer,
          train_batch_size_usual: chord.rollouts,
          train_batch_size_expert: chord.expert,
        }
      : {}),
    clip_range_low: loss.clip,
    clip_range_high: loss.clip_high ?? loss.clip,
    clip_ratio_c: loss.dual_clip,
    // Trinity-RFT's validator overwrites this argument with `algorithm.loss_agg_mode` when both are given.
    loss_agg_mode: aggregate,
  };
  const entropy = defaultEntry(facts, type, "entropy_loss_fn", "ENTROPY_LOSS_FN");
  const sampling = defaultEntry(facts, type, "sample_strategy", "SAMPLE_STRATEGY");
  return {
    algorithm_type: type,
    repeat_times: stage.group,
    optimizer,
    advantage_fn: advantage,
    ...nonEmpty("advantage_fn_args", op?.kind === "group_norm" ? accepted(registered(facts, "ADVANTAGE_FN", advantage), { epsilon: op.eps }) : {}),
    ...(facts.keys["algorithm.loss_agg_mode"] ? { loss_agg_mode: aggregate } : {}),
    policy_loss_fn_args: accepted(policy, policyArgs),
    kl_loss_fn: kl,
    ...nonEmpty("kl_loss_fn_args", loss.kl ? accepted(registered(facts, "KL_FN", kl), { kl_coef: loss.kl.coef }) : {}),
    ...nonEmpty("entropy_loss_fn_args", loss.entropy !== (entropy?.defaultArgs?.entropy_coef ?? 0) ? accepted(entropy, { entropy_coef: loss.entropy }) : {}),
    // ceil(ratio * rows) must come out at the expert rows: the ratio is rounded down.
    ...(chord
      ? {
          sample_strategy_args: accepted(sampling, {
            expert_data_ratio: Math.floor((chord.expert / rows) * 1e6) / 1e6,
            sft_dataset_name: TRINITY_EXPERT_BUFFER,
          }),
        }
      : {}),
  };
}

/** An SFT stage's algorithm block. */
export function trinitySftAlgorithm(optimizer: object): Record<string, unknown> {
  return { algorithm_type: TRINITY_SFT, optimizer };
}

/** CHORD's μ: a constant is a schedule whose peak and valley agree (mix_chord has no other form). */
function muArgs(mu: Schedule): Record<string, number> {
  if (mu.schedule === "constant") return { mu_warmup_steps: 0, mu_decay_steps: 0, mu_peak: mu.value, mu_valley: mu.value };
  if (mu.schedule !== "warmup_cosine") throw new Error("trinity: CHORD's mu is neither constant nor warmup_cosine (roux check --target reports this)");
  if (mu.warmup.unit !== "steps" || mu.decay.unit !== "steps") throw new Error("trinity: CHORD's mu schedule is not in steps");
  return { mu_warmup_steps: mu.warmup.value, mu_decay_steps: mu.decay.value, mu_peak: mu.peak, mu_valley: mu.valley };
}
