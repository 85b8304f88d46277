/**
 * The reward of an imported stage, read from the Python module a config names. A module `roux
 * export` wrote carries the recipe's reward as data (SPEC); any other reward function is code
 * Roux cannot read, and the recipe gets a placeholder the user must replace (with E3401 saying so).
 */
import type { RewardExpr } from "../plan/plan.js";
import { readRewardSpecs, type RewardSpec, type Verifier } from "../export/reward-python.js";
import type { ConfigReader } from "./config-reader.js";

export interface ImportedReward {
  expr: RewardExpr;
  rewards: { name: string; source: Verifier }[];
  answerKey?: string;
}

const PLACEHOLDER: ImportedReward = {
  expr: { op: "reward", name: "todo_reward" },
  rewards: [{ name: "todo_reward", source: { kind: "regex_match", pattern: "TODO: the reward function of the engine config" } }],
};

/** The stage's reward from the module text (undefined when the file cannot be read), reported at `key`. */
export function importReward(reader: ConfigReader, key: string, moduleText: string | undefined, stage: string | undefined): ImportedReward {
  const specs = moduleText === undefined ? undefined : readRewardSpecs(moduleText);
  const spec: RewardSpec | undefined = specs && (stage !== undefined && specs[stage] ? specs[stage] : Object.values(specs)[0]);
  if (spec === undefined) {
    reader.unsupported(
      key,
      moduleText === undefined ? "a reward function in a file that cannot be read" : "a reward function `roux export` did not write",
      "the recipe gets a placeholder reward `todo_reward`: declare the reward with exact_match, numeric_match or regex_match",
    );
    return PLACEHOLDER;
  }
  return { expr: spec.expr, rewards: Object.entries(spec.rewards).map(([name, source]) => ({ name, source })), answerKey: spec.answer_key ?? undefined };
}
