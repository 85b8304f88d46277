/**
 * The reward of an imported stage, read from the Python module a config names. A module `roux
 * export` wrote carries the recipe's reward as data (SPEC); any other reward function is code
 * Roux cannot read. Then the stage's reward is `engine_reward`, which the written recipe leaves
 * undeclared (recipe-writer.ts says so in a comment), so it does not check until the user
 * declares it: no stand-in verifier that would train on a reward of 0 (E3401 says so too).
 */
import type { RewardExpr } from "../../plan/plan.js";
import { printRewardExpr } from "../../plan/reward-expr.js";
import { readRewardSpecs, type RewardSpec, type Verifier } from "../export/reward-python.js";
import type { ConfigReader } from "./config-reader.js";

export interface ImportedReward {
  expr: RewardExpr;
  rewards: { name: string; source: Verifier }[];
  answerKey?: string;
}

const UNREAD: ImportedReward = { expr: { op: "reward", name: "engine_reward" }, rewards: [] };

/** The stage's reward from the module text (undefined when the file cannot be read), reported at `key`. */
export function importReward(reader: ConfigReader, key: string, moduleText: string | undefined, stage: string | undefined): ImportedReward {
  const specs = moduleText === undefined ? undefined : readRewardSpecs(moduleText);
  const spec: RewardSpec | undefined = specs && (stage !== undefined && specs[stage] ? specs[stage] : Object.values(specs)[0]);
  if (spec === undefined) {
    reader.unsupported(
      key,
      moduleText === undefined ? "a reward function in a file that cannot be read" : "a reward function `roux export` did not write",
      "the recipe's reward is `engine_reward`, left undeclared: declare it with exact_match, numeric_match, regex_match or js(...)",
    );
    return UNREAD;
  }
  return { expr: spec.expr, rewards: Object.entries(spec.rewards).map(([name, source]) => ({ name, source })), answerKey: spec.answer_key ?? undefined };
}

/**
 * A stage's eval rewards from the module text, each as the recipe writes it (a verifier's name, or
 * an expression over the verifiers), with the verifiers they read; undefined when the module
 * carries no eval rewards for the stage (SPEC's first when `stage` is undefined).
 */
export function importEvalRewards(
  moduleText: string | undefined,
  stage: string | undefined,
): { labels: string[]; rewards: ImportedReward["rewards"] } | undefined {
  const specs = moduleText === undefined ? undefined : readRewardSpecs(moduleText);
  // verl's module scores its one stage, SPEC's first.
  const spec = specs && (stage === undefined ? Object.values(specs)[0] : specs[stage])?.eval;
  if (spec === undefined) return undefined;
  return {
    labels: spec.metrics.map((m) => printRewardExpr(m.expr, (leaf) => (leaf.op === "reward" ? leaf.name : leaf.node))),
    rewards: Object.entries(spec.rewards).map(([name, source]) => ({ name, source })),
  };
}
