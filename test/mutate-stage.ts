/**
 * Random changes to a recipe's RL stages, as `--set` overrides (compiler/overrides.ts): a new
 * advantage chain, credit, reward expression, group, batch, dynamic sampling, loss, expert or
 * null control, drawn from a seeded generator so a failure reproduces from its seed. Where
 * test/mutate.ts breaks the text (most of its mutations no longer parse), these keep it well
 * formed, so most of them check clean and reach lowering: what a test of the plan's rules needs
 * in the thousands.
 */
import type { Granularity } from "../grammar/ast.js";

/** What a recipe declares that an override can name. */
export interface RecipeFacts {
  /** RL stages declared in the recipe, each with the stages that run before it. */
  readonly rlStages: readonly { readonly name: string; readonly before: readonly string[] }[];
  readonly rewards: readonly { readonly name: string; readonly granularity: Granularity }[];
  /** Datasets whose examples carry responses (what an expert learns from). */
  readonly demonstrations: readonly string[];
}

type Random = () => number;

const ADVANTAGE_OPS = ["group_norm", "group_norm(std = false)", "rloo", "whiten", "empg", "empg(zeta = 0.1)"];
const CREDITS = ["outcome", "sum_form", "sum_form(gamma = 0.9)", "min_form", "min_form(strict = true)"];

/** One to three overrides of one RL stage, as `PATH=VALUE` texts; none when the recipe has no RL stage. */
export function stageOverrides(facts: RecipeFacts, random: Random): string[] {
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
  const stage = pick(facts.rlStages);
  if (stage === undefined) return [];
  const fields: Record<string, () => string | undefined> = {
    advantage: () => Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(ADVANTAGE_OPS)).join(" |> "),
    credit: () => pick(CREDITS),
    reward: () => rewardExpr(facts, random, 2),
    group: () => pick(["1", "2", "4", "8"]),
    batch: () => pick(["1", "4", "16"]),
    dynamic_sampling: () => pick(["{ max_refills = 1 }", "{ max_refills = 4 }"]),
    loss: () => {
      const ref = pick(stage.before) ?? "init";
      return pick([
        "ppo",
        "ppo { clip = 0.3, entropy = 0.01 }",
        "ppo { kl = k3(0.001) }",
        `ppo { kl = k1(0.01, ref = ${ref}) }`,
        "ppo { aggregate = seq_mean_token_sum_norm }",
      ]);
    },
    control: () => "shuffled_advantages",
    expert: () => {
      const data = pick(facts.demonstrations);
      if (data === undefined) return undefined;
      return pick([
        `chord { data = ${data}, mu = 0.5, ratio = 25% }`,
        `chord { data = ${data}, mu = linear(0.9 -> 0.1, over = 10 steps) }`,
        `mix { data = ${data}, weight = 0.1 }`,
      ]);
    },
  };
  const names = Object.keys(fields);
  const chosen = new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(names)));
  return [...chosen].flatMap((field) => {
    const value = field === undefined ? undefined : fields[field]?.();
    return value === undefined ? [] : [`${stage.name}.${field}=${value}`];
  });
}

/** A reward expression over the recipe's rewards, well typed more often than not. */
function rewardExpr(facts: RecipeFacts, random: Random, depth: number): string | undefined {
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
  const named = (granularity: Granularity) => facts.rewards.filter((r) => r.granularity === granularity).map((r) => r.name);
  // Every form below reads an outcome reward somewhere.
  if (named("outcome").length === 0) return undefined;
  const outcome = (d: number): string | undefined => {
    const leaf = pick(named("outcome"));
    if (d === 0 || leaf === undefined) return leaf;
    const forms = [
      () => leaf,
      () => `threshold(${outcome(d - 1)}, 0.5)`,
      () => `clip(${outcome(d - 1)}, 0, 1)`,
      () => `2 * ${outcome(d - 1)} - 1`,
      () => `gate(${process(d - 1)}, on = ${leaf})`,
    ];
    return pick(forms)?.();
  };
  const process = (d: number): string | undefined => {
    const leaf = pick(named("process")) ?? `each_step(${outcome(0)})`;
    if (d === 0) return leaf;
    const forms = [
      () => leaf,
      () => `renorm(process = ${leaf}, outcome = ${outcome(0)})`,
      () => `at_end(${outcome(d - 1)})`,
      () => `2 * ${leaf} - 1 + at_end(${outcome(0)})`,
    ];
    return pick(forms)?.();
  };
  const prof = () => `prof(outcome = ${outcome(0)}, process = ${process(0)}, remove = ${pick([1, 2, 4])})`;
  // Mixed granularities (`a + b` of an outcome and a process reward) and two filters included:
  // the checker and the plan's rules are what is being tried.
  const forms = [
    () => outcome(depth),
    () => process(depth),
    prof,
    () => `${prof()} + ${prof()}`,
    () => `${outcome(0)} + ${process(0)}`,
    () => `prof(outcome = ${prof()}, process = ${process(0)}, remove = 1)`,
  ];
  return pick(forms)?.();
}
