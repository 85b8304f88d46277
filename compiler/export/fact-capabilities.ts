/**
 * The capability rows that depend on what an engine release registers or accepts: which targets
 * support them is computed from the facts at the pins (facts/), with the same functions the
 * lowerings choose their names with (verl-names.ts, trinity-algorithm.ts). A feature whose name
 * or argument is missing at a pin is E3401 at `roux check --target`, never a crash at the
 * engine's start-up. A row every target supports refuses nothing and is left out.
 */
import type { Target } from "../check/target.js";
import { nodeOf } from "../plan/nodes.js";
import type { Aggregate, Kl } from "../../plan/plan.js";
import { EXPORT_TARGETS, type ExportTarget } from "./engines.js";
import { FEATURES } from "./capabilities.js";
import { acceptsArg, type EngineFacts, type Facts, pinnedFacts, registered } from "./facts/facts.js";
import { advantageOps, expertOf, type Feature, inRl, ppo } from "./plan-uses.js";
import {
  algorithmDefault,
  CHORD_ARGS,
  defaultEntry,
  TRINITY_ADVANTAGE,
  TRINITY_CHORD_LOSS,
  TRINITY_KL_NAMES,
  TRINITY_PPO_LOSS,
  TRINITY_SFT,
  trinityAlgorithmType,
  trinityKl,
} from "./trinity-algorithm.js";
import { VERL_AGGREGATE } from "./verl.js";
import { VERL_ADVANTAGE, VERL_KL_NAMES, verlGrpoEpsilon, verlKl } from "./verl-names.js";

type Available = Readonly<Record<ExportTarget, boolean>>;

const ESTIMATORS: readonly Kl["estimator"][] = ["k1", "k3"];
const AGGREGATES = Object.keys(VERL_AGGREGATE) as Aggregate[];
const ADVANTAGES = ["group_norm", "rloo"] as const;

const release = (facts: EngineFacts) => `${facts.engine} ${facts.release}`;
const supportedWhere = (available: Available): Target[] => ["local", ...EXPORT_TARGETS.filter((t) => available[t])];
const lacking = (facts: Facts, available: Available) =>
  EXPORT_TARGETS.filter((t) => !available[t])
    .map((t) => release(facts[t]))
    .join(" and ");
const names = (list: readonly string[]) => list.map((n) => `\`${n}\``).join(" or ");

/** Whether the stage trains with CHORD's expert term. */
const chordIn = (stage: Parameters<typeof expertOf>[0]) => expertOf(stage)?.method === "chord";

/** Whether Trinity-RFT can set the loss aggregate: as `algorithm.loss_agg_mode`, or as the PPO loss's argument. */
function trinityAggregates(facts: EngineFacts, name: string): boolean {
  const settable = facts.keys["algorithm.loss_agg_mode"] !== undefined || acceptsArg(registered(facts, "POLICY_LOSS_FN", TRINITY_PPO_LOSS), "loss_agg_mode");
  return settable && registered(facts, "loss_agg_mode", name) !== undefined;
}

/** Whether Trinity-RFT trains CHORD: an algorithm type built on mix_chord, whose loss takes every CHORD argument. */
function trinityChord(facts: EngineFacts): boolean {
  const loss = registered(facts, "POLICY_LOSS_FN", TRINITY_CHORD_LOSS);
  const types = Object.keys(facts.registries.ALGORITHM_TYPE?.names ?? {});
  return CHORD_ARGS.every((arg) => acceptsArg(loss, arg)) && types.some((t) => algorithmDefault(facts, t, "policy_loss_fn") === TRINITY_CHORD_LOSS);
}

/** Whether Trinity-RFT computes an advantage with PPO's loss (and the group_norm epsilon, which the recipe always gives). */
function trinityAdvantage(facts: EngineFacts, kind: (typeof ADVANTAGES)[number], loss: string): boolean {
  const name = TRINITY_ADVANTAGE[kind];
  const epsilon = kind !== "group_norm" || acceptsArg(registered(facts, "ADVANTAGE_FN", name), "epsilon");
  return epsilon && trinityAlgorithmType(loss, name, facts) !== undefined;
}

/** The whole capability table at the given facts: the rows of what a release registers, then those that hold at any release. */
export function capabilityTable(facts: Facts = pinnedFacts()): Feature[] {
  return [...factFeatures(facts), ...FEATURES];
}

export function factFeatures(facts: Facts): Feature[] {
  const { verl, trinity } = facts;
  const rows: Feature[] = [
    {
      name: "an SFT stage",
      supported: supportedWhere({ verl: false, trinity: registered(trinity, "ALGORITHM_TYPE", TRINITY_SFT) !== undefined }),
      help:
        "verl trains SFT in a separate job (verl.trainer.fsdp_sft_trainer): run it, export the RL stage from its checkpoint, " +
        "or export to Trinity-RFT, whose `stages` run both",
      find: (plan) => plan.stages.flatMap((stage, index) => (stage.kind === "sft" ? [{ stage: index, field: "" }] : [])),
    },
    {
      name: "CHORD's expert term (`expert = chord { ... }`)",
      supported: supportedWhere({ verl: false, trinity: trinityChord(trinity) }),
      help: "mainline verl has no SFT term inside RL: export to Trinity-RFT (`algorithm_type: mix_chord`)",
      find: inRl("expert", chordIn),
    },
    ...ESTIMATORS.map((estimator): Feature => {
      const available = { verl: verlKl(estimator, verl) !== undefined, trinity: trinityKl(estimator, trinity) !== undefined };
      return {
        name: `a \`${estimator}\` KL term (\`kl = ${estimator}(...)\`)`,
        supported: supportedWhere(available),
        help: `${lacking(facts, available)} register none of its names (verl's \`kl_loss_type\` ${names(VERL_KL_NAMES[estimator])}, Trinity-RFT's \`KL_FN\` ${names(TRINITY_KL_NAMES[estimator])}): use the other estimator`,
        find: inRl("loss", (stage) => ppo(stage).kl?.estimator === estimator),
      };
    }),
    ...AGGREGATES.map((aggregate): Feature => {
      const name = VERL_AGGREGATE[aggregate];
      const available = { verl: registered(verl, "loss_agg_mode", name) !== undefined, trinity: trinityAggregates(trinity, name) };
      return {
        name: `the \`${aggregate}\` loss aggregate`,
        supported: supportedWhere(available),
        help: `${lacking(facts, available)} cannot set \`loss_agg_mode: ${name}\`: use \`aggregate = token_mean\``,
        find: inRl("loss", (stage) => ppo(stage).aggregate === aggregate),
      };
    }),
    ...ADVANTAGES.map((kind): Feature => {
      const available = {
        verl: registered(verl, "adv_estimator", VERL_ADVANTAGE[kind]) !== undefined,
        trinity: trinityAdvantage(trinity, kind, TRINITY_PPO_LOSS),
      };
      return {
        name: `the \`${kind}\` advantage`,
        supported: supportedWhere(available),
        help: `${lacking(facts, available)} cannot compute it (verl's \`adv_estimator: ${VERL_ADVANTAGE[kind]}\`, Trinity-RFT's \`advantage_fn: ${TRINITY_ADVANTAGE[kind]}\` with an algorithm type that computes it)`,
        find: inRl("advantage", (stage) => !chordIn(stage) && advantageOps(stage)[0]?.kind === kind),
      };
    }),
    // verl has no CHORD (its own row above): a combination row is there only when Trinity-RFT,
    // which has CHORD, cannot compute the advantage beside it.
    ...ADVANTAGES.filter((kind) => trinityChord(trinity) && !trinityAdvantage(trinity, kind, TRINITY_CHORD_LOSS)).map(
      (kind): Feature => ({
        name: `the \`${kind}\` advantage with CHORD's expert term`,
        supported: ["local"],
        help:
          `${release(trinity)}'s algorithm types built on ${TRINITY_CHORD_LOSS} compute the advantage where \`${TRINITY_ADVANTAGE[kind]}\` cannot be computed ` +
          '(its experience pipeline asserts it "can only be computed in the trainer"): use `group_norm` with CHORD',
        find: inRl("advantage", (stage) => chordIn(stage) && advantageOps(stage)[0]?.kind === kind),
      }),
    ),
    {
      name: "`group_norm(std = false)` (Dr. GRPO)",
      supported: supportedWhere({ verl: verl.keys["algorithm.norm_adv_by_std_in_grpo"] !== undefined, trinity: false }),
      help: "Trinity-RFT's grpo advantage always divides by the group's std; export to verl (`norm_adv_by_std_in_grpo: false`)",
      find: inRl("advantage", (stage) => advantageOps(stage).some((op) => op.kind === "group_norm" && !op.std)),
    },
    ...epsilonRows(facts),
    ...ppoLossRows(facts),
    {
      name: "Adam betas other than [0.9, 0.999]",
      supported: supportedWhere({
        verl: verl.keys["actor_rollout_ref.actor.optim.betas"] !== undefined,
        trinity: trinity.keys["algorithm.optimizer.betas"] !== undefined,
      }),
      help: "the optimizer config has no betas at the pinned release: leave them at the default",
      find: (plan) =>
        plan.stages.flatMap((stage, index) => {
          const betas = nodeOf(stage.graph, "Step").optimizer.betas;
          return betas[0] === 0.9 && betas[1] === 0.999 ? [] : [{ stage: index, field: "optimizer" }];
        }),
    },
  ];
  return rows.filter((row) => row.supported.length < EXPORT_TARGETS.length + 1);
}

/**
 * verl divides by the std plus its GRPO estimator's own epsilon and no key sets another
 * (verl-names.ts verlGrpoEpsilon): a recipe's other epsilon would be dropped.
 */
function epsilonRows(facts: Facts): Feature[] {
  const epsilon = verlGrpoEpsilon(facts.verl);
  if (epsilon === undefined) return [];
  // As a recipe writes it: 1e-6, not 0.000001.
  const fixed = epsilon < 1e-3 ? epsilon.toExponential() : String(epsilon);
  return [
    {
      name: `\`group_norm(eps = ...)\` other than verl's fixed ${fixed}`,
      supported: supportedWhere({ verl: false, trinity: trinityAdvantage(facts.trinity, "group_norm", TRINITY_PPO_LOSS) }),
      help: `${release(facts.verl)}'s GRPO advantage always adds ${fixed} to the std (no config key sets it): write \`eps = ${fixed}\`, or export to Trinity-RFT (\`advantage_fn_args.epsilon\`)`,
      find: inRl("advantage", (stage) => advantageOps(stage).some((op) => op.kind === "group_norm" && op.eps !== epsilon)),
    },
  ];
}

/**
 * What Trinity-RFT's PPO loss and entropy term must take for a stage to be exported whole: the
 * clip range, the dual clip (`clip_ratio_c`) and the entropy coefficient. mix_chord builds its PPO
 * part with that loss's defaults and passes no dual clip on (trinity/algorithm/policy_loss_fn/
 * chord_policy_loss.py, MIXCHORDPolicyLossFn), so with CHORD only the default is exported.
 */
function ppoLossRows(facts: Facts): Feature[] {
  const { verl, trinity } = facts;
  const ppoLoss = registered(trinity, "POLICY_LOSS_FN", TRINITY_PPO_LOSS);
  const verlHas = (key: string) => verl.keys[`actor_rollout_ref.actor.${key}`] !== undefined;
  const rows: Feature[] = [];
  if (!acceptsArg(ppoLoss, "clip_range_low") || !acceptsArg(ppoLoss, "clip_range_high"))
    rows.push({
      name: "PPO's clip range (`clip`, `clip_high`)",
      supported: supportedWhere({ verl: verlHas("clip_ratio_low") && verlHas("clip_ratio_high"), trinity: false }),
      help: `${release(trinity)}'s PPO loss takes no \`clip_range_low\` and \`clip_range_high\`: export to verl`,
      find: inRl("loss", (stage) => !chordIn(stage)),
    });
  if (!acceptsArg(ppoLoss, "clip_ratio_c"))
    rows.push({
      name: "PPO's dual clip (`dual_clip`)",
      supported: supportedWhere({ verl: verlHas("clip_ratio_c"), trinity: false }),
      help: `${release(trinity)}'s PPO loss takes no \`clip_ratio_c\`: export to verl`,
      find: inRl("loss", (stage) => !chordIn(stage)),
    });
  const fixed = ppoLoss?.args?.clip_ratio_c?.default;
  if (trinityChord(trinity) && !acceptsArg(registered(trinity, "POLICY_LOSS_FN", TRINITY_CHORD_LOSS), "clip_ratio_c"))
    rows.push({
      name: `a dual clip other than ${fixed ?? "PPO's default"} with CHORD`,
      supported: ["local"],
      help: `${release(trinity)}'s ${TRINITY_CHORD_LOSS} loss keeps PPO's default dual clip: leave \`dual_clip\` out`,
      find: inRl("loss", (stage) => chordIn(stage) && ppo(stage).dual_clip !== fixed),
    });
  // The entropy term is the one the chosen algorithm type defaults to.
  const types = [
    trinityAlgorithmType(TRINITY_PPO_LOSS, TRINITY_ADVANTAGE.group_norm, trinity),
    trinityAlgorithmType(TRINITY_PPO_LOSS, TRINITY_ADVANTAGE.rloo, trinity),
    trinityAlgorithmType(TRINITY_CHORD_LOSS, TRINITY_ADVANTAGE.group_norm, trinity),
  ].filter((t) => t !== undefined);
  if (types.some((t) => !acceptsArg(defaultEntry(trinity, t, "entropy_loss_fn", "ENTROPY_LOSS_FN"), "entropy_coef")))
    rows.push({
      name: "an entropy bonus (`entropy`)",
      supported: supportedWhere({ verl: verlHas("entropy_coeff"), trinity: false }),
      help: `${release(trinity)}'s entropy term takes no \`entropy_coef\`: leave \`entropy\` out, or export to verl`,
      find: inRl("loss", (stage) => ppo(stage).entropy !== 0),
    });
  return rows;
}
