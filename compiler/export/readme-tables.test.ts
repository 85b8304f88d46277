/**
 * The README's tables of what maps to each engine and what is E3401 there are written from the
 * same functions and facts the exports use, so they cannot drift from what `roux export` does at
 * the pins. `UPDATE_GOLDEN=1 npx vitest run compiler/export/readme-tables.test.ts` rewrites them.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../test/recipes.js";
import type { Aggregate, Kl } from "../../plan/plan.js";
import { ENGINES, EXPORT_TARGETS } from "./engines.js";
import { capabilityTable } from "./fact-capabilities.js";
import { trinityEvalRewardName } from "./reward-python.js";
import { pinnedFacts, registered } from "./facts/facts.js";
import { TRINITY_ADVANTAGE, TRINITY_CHORD_LOSS, TRINITY_PPO_LOSS, TRINITY_SFT, trinityAlgorithmType, trinityKl } from "./trinity-algorithm.js";
import { VERL_AGGREGATE } from "./verl.js";
import { VERL_ADVANTAGE, verlKl } from "./verl-names.js";

const README = path.join(REPO_ROOT, "compiler/export/README.md");
const REFUSED = "E3401";
const code = (text: string | undefined) => (text === undefined ? REFUSED : `\`${text}\``);
const row = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`;
const header = (first: string) => [
  row([first, ...EXPORT_TARGETS.map((t) => `${ENGINES[t].name} ${ENGINES[t].version}`)]),
  row(["---", ...EXPORT_TARGETS.map(() => "---")]),
];

/** What a recipe's estimators and stages become in each engine's config at the pins. */
function mappingTable(): string {
  const { verl, trinity } = pinnedFacts();
  const trinityType = (loss: string, advantage: string) => {
    const type = trinityAlgorithmType(loss, advantage);
    return type === undefined ? REFUSED : `\`algorithm_type: ${type}\`, \`advantage_fn: ${advantage}\``;
  };
  const rows: string[][] = [
    ["`advantage = group_norm`", code(`adv_estimator: ${VERL_ADVANTAGE.group_norm}`), trinityType(TRINITY_PPO_LOSS, TRINITY_ADVANTAGE.group_norm)],
    ["`advantage = rloo`", code(`adv_estimator: ${VERL_ADVANTAGE.rloo}`), trinityType(TRINITY_PPO_LOSS, TRINITY_ADVANTAGE.rloo)],
    ...(["k1", "k3"] as Kl["estimator"][]).map((e) => [
      `\`kl = ${e}(...)\``,
      code(verlKl(e) && `kl_loss_type: ${verlKl(e)}`),
      code(trinityKl(e) && `kl_loss_fn: ${trinityKl(e)}`),
    ]),
    ...(Object.entries(VERL_AGGREGATE) as [Aggregate, string][]).map(([aggregate, name]) => [
      `\`aggregate = ${aggregate}\``,
      code(registered(verl, "loss_agg_mode", name) && `loss_agg_mode: ${name}`),
      code(registered(trinity, "loss_agg_mode", name) && `loss_agg_mode: ${name}`),
    ]),
    ["an SFT stage", REFUSED, code(registered(trinity, "ALGORITHM_TYPE", TRINITY_SFT) && `algorithm_type: ${TRINITY_SFT}`)],
    ["`expert = chord { ... }`", REFUSED, trinityType(TRINITY_CHORD_LOSS, TRINITY_ADVANTAGE.group_norm)],
    [
      "an eval block's `rewards` (rule verifiers and their sums)",
      "beside the score, as `val-aux/<data>/eval/<label>/mean@N`",
      `\`eval_tasksets[].default_reward_fn_type: ${trinityEvalRewardName("STAGE")}\`, as \`eval/<data>/<label>/mean@N\``,
    ],
    ["an eval block's `samples = k`", "`val_kwargs.n: k`", "`eval_tasksets[].repeat_times: k`"],
  ];
  return [...header("recipe"), ...rows.map(row)].join("\n");
}

/** Every capability row: which targets refuse it. */
function refusedTable(): string {
  const rows = capabilityTable().map((f) => [f.name, ...EXPORT_TARGETS.map((t) => (f.supported.includes(t) ? "maps" : REFUSED))]);
  return [...header("feature"), ...rows.map(row)].join("\n");
}

/** The README with the text between `<!-- NAME -->` and `<!-- end NAME -->` replaced. */
function withSection(text: string, name: string, body: string): string {
  const start = `<!-- ${name}: written by readme-tables.test.ts -->\n`;
  const end = `\n<!-- end ${name} -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${README} has no ${name} section`);
  return text.slice(0, from + start.length) + body + text.slice(to);
}

describe("compiler/export/README.md", () => {
  it("shows what maps and what is E3401 on each engine at the pins, as the exports do", () => {
    const text = readFileSync(README, "utf8");
    const expected = withSection(withSection(text, "mapping", mappingTable()), "refused", refusedTable());
    if (process.env.UPDATE_GOLDEN) writeFileSync(README, expected);
    expect(readFileSync(README, "utf8")).toBe(expected);
  });
});
