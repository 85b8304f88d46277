/**
 * The rules a plan keeps that its schema cannot state: names that refer to something, a graph
 * in an order it can run in, the nodes each kind of stage has, reward expressions whose
 * granularities fit, the advantage ops in the order docs/algorithms.md section 0 applies them
 * (those of §0 steps 2 to 6 are kept together in advantage-rules.ts).
 * The runtime's readers (runtime/reward-graph/stage-graph.ts, runtime/ops/pipeline.ts,
 * runtime/run/) rely on them, so this table is their one statement: the compiler reports a
 * broken rule as E3107 at the recipe construct that made the plan so, and the runtime refuses a
 * plan that breaks one, whether it lowered it or read it from a file.
 */
import { ADVANTAGE_RULES } from "./advantage-rules.js";
import { NAME_RULES } from "./name-rules.js";
import type { Duration, Node, Plan, RewardExpr, Schedule, Stage } from "./plan.js";
import type { PlanIssue, PlanLocation, PlanPath } from "./plan-issue.js";
import { leafNames, type PlanRule, valueGranularity } from "./plan-rule.js";
import { subexpressions } from "./reward-expr.js";
import { article, rewardGranularity } from "./reward-granularity.js";

const VERIFIERS: ReadonlySet<string> = new Set(["exact_match", "numeric_match", "regex_match"]);

export const PLAN_RULES = {
  ...NAME_RULES,
  "graph-order": {
    summary: "a node reads only nodes before it in its stage's graph, and reward values only from Score and Combine nodes",
    check(plan, report) {
      for (const stage of plan.stages) {
        const before = new Map<string, Node>();
        for (const node of stage.graph) {
          const at = (...path: PlanPath): PlanLocation => ({ in: "node", stage: stage.name, node: node.id, path });
          node.inputs.forEach((input, i) => {
            if (!before.has(input)) report(at("inputs", i), `node \`${node.id}\` reads \`${input}\`, ${missing(stage, input)}`);
          });
          if (node.op === "Combine") {
            for (const name of leafNames(node.expr, "value")) {
              const read = before.get(name);
              if (read === undefined) report(at("expr"), `the reward expression of \`${node.id}\` reads \`${name}\`, ${missing(stage, name)}`);
              else if (read.op !== "Score" && read.op !== "Combine")
                report(at("expr"), `the reward expression of \`${node.id}\` reads \`${name}\`, a ${read.op} node, which has no reward value`);
            }
          }
          if (!before.has(node.id)) before.set(node.id, node);
        }
      }
    },
  },
  "stage-nodes": {
    summary: "an RL stage has one Sample, Credit, Advantage, Loss and Step node and at most one Expert; an SFT stage one Batch, Loss and Step",
    check(plan, report) {
      for (const stage of plan.stages) {
        const counts = new Map<Node["op"], number>();
        for (const node of stage.graph) counts.set(node.op, (counts.get(node.op) ?? 0) + 1);
        for (const [op, [min, max]] of Object.entries(STAGE_NODES[stage.kind]) as [Node["op"], [number, number]][]) {
          const n = counts.get(op) ?? 0;
          if (n >= min && n <= max) continue;
          const wanted = max === 0 ? "none" : min === max ? "exactly one" : "at most one";
          report(
            { in: "stage", stage: stage.name, path: ["graph"] },
            `${stage.kind.toUpperCase()} stage \`${stage.name}\` has ${n} ${op} node${n === 1 ? "" : "s"}; it must have ${wanted}`,
          );
        }
      }
    },
  },
  "one-filter": {
    summary: "an RL stage has at most one PROF filter: the runtime runs one per step",
    check(plan, report) {
      for (const stage of plan.stages) {
        const filters = stage.graph.filter((n) => n.op === "Filter");
        for (const extra of filters.slice(1)) {
          report(
            { in: "node", stage: stage.name, node: extra.id, path: [] },
            `stage \`${stage.name}\` has ${filters.length} PROF filters`,
            "filter the stage's reward with one `prof(...)`",
          );
        }
      }
    },
  },
  "loss-objective": {
    summary: "an RL stage's loss is PPO's, an SFT stage's the negative log-likelihood",
    check(plan, report) {
      for (const stage of plan.stages) {
        const wanted = stage.kind === "rl" ? "ppo" : "nll";
        for (const node of stage.graph) {
          if (node.op === "Loss" && node.loss.objective !== wanted) {
            report(
              { in: "node", stage: stage.name, node: node.id, path: ["loss", "objective"] },
              `the ${stage.kind.toUpperCase()} stage \`${stage.name}\` has a ${node.loss.objective} loss, not ${wanted}`,
            );
          }
        }
      }
    },
  },
  "reward-expressions": {
    summary: "a stage's reward expression reads node values and an eval's reads reward sources; operands have the granularities their operators take",
    check(plan, report) {
      const sources = new Map(plan.rewards.map((r) => [r.name, r.granularity]));
      for (const stage of plan.stages) {
        const nodes = new Map(stage.graph.map((n) => [n.id, n]));
        const granularityOf = (id: string) => valueGranularity(nodes.get(id), sources);
        for (const node of stage.graph) {
          if (node.op !== "Combine") continue;
          const at: PlanLocation = { in: "node", stage: stage.name, node: node.id, path: ["expr"] };
          for (const name of leafNames(node.expr, "reward")) report(at, `a stage's reward expression reads node values, not the reward source \`${name}\``);
          const result = rewardGranularity(
            node.expr,
            granularityOf,
            () => undefined,
            (message) => report(at, message),
          );
          if (result !== undefined && result !== node.granularity) {
            report(at, `the reward expression of \`${node.id}\` is ${article(result)}, but the node says ${article(node.granularity)}`);
          }
        }
        stage.eval?.rewards.forEach(({ label, expr }, i) => {
          const at: PlanLocation = { in: "stage", stage: stage.name, path: ["eval", "rewards", i] };
          for (const name of leafNames(expr, "value")) report(at, `the eval reward \`${label}\` reads the node \`${name}\`; an eval scores reward sources`);
          rewardGranularity(
            expr,
            () => undefined,
            (name) => sources.get(name),
            (message) => report(at, message),
          );
        });
      }
    },
  },
  ...ADVANTAGE_RULES,
  "kl-reference": {
    summary: "a KL term's reference stage runs before the stage that reads it",
    check(plan, report) {
      plan.stages.forEach((stage, index) => {
        for (const node of stage.graph) {
          if (node.op !== "Loss" || node.loss.objective !== "ppo" || node.loss.kl?.ref.kind !== "stage") continue;
          const ref = node.loss.kl.ref.stage;
          if (!plan.stages.slice(0, index).some((s) => s.name === ref)) {
            report(
              { in: "node", stage: stage.name, node: node.id, path: ["loss", "kl", "ref"] },
              `the KL reference \`${ref}\` does not run before stage \`${stage.name}\``,
            );
          }
        }
      });
    },
  },
  "step-durations": {
    summary: "a length, interval or schedule is in steps, epochs or samples: the runtime counts them in steps",
    check(plan, report) {
      const steps = (d: Duration, at: PlanLocation, what: string) => {
        if (d.unit === "tokens") report(at, `${what} is ${d.value} tokens, which is not a number of steps`);
      };
      const schedule = (s: Schedule, at: (...path: PlanPath) => PlanLocation, what: string) => {
        if (s.schedule === "linear" || s.schedule === "cosine") steps(s.over, at("over"), what);
        if (s.schedule === "warmup_cosine") for (const key of ["warmup", "decay"] as const) steps(s[key], at(key), what);
      };
      steps(plan.settings.checkpoint_every, { in: "plan", path: ["settings", "checkpoint_every"] }, "`checkpoint_every`");
      for (const stage of plan.stages) {
        const at = (...path: PlanPath): PlanLocation => ({ in: "stage", stage: stage.name, path });
        steps(stage.length, at("length"), `the length of stage \`${stage.name}\``);
        if (stage.eval !== null) steps(stage.eval.every, at("eval", "every"), "the eval's `every`");
        for (const node of stage.graph) {
          const inNode = (...path: PlanPath): PlanLocation => ({ in: "node", stage: stage.name, node: node.id, path });
          if (node.op === "Step") schedule(node.optimizer.lr, (...path) => inNode("optimizer", "lr", ...path), "the learning rate's schedule");
          if (node.op === "Expert") {
            const e = node.expert;
            schedule(
              e.method === "chord" ? e.mu : e.weight,
              (...path) => inNode("expert", e.method === "chord" ? "mu" : "weight", ...path),
              "the expert's schedule",
            );
          }
        }
      }
    },
  },
  "verifier-granularity": {
    summary: "a built-in verifier (exact_match, numeric_match, regex_match) gives outcome rewards",
    check(plan, report) {
      for (const reward of plan.rewards) {
        if (VERIFIERS.has(reward.source.kind) && reward.granularity !== "outcome") {
          report(
            { in: "reward", reward: reward.name, path: ["granularity"] },
            `\`${reward.name}\` is ${reward.source.kind}, an outcome reward, but the plan says ${reward.granularity}`,
          );
        }
      }
    },
  },
  "clip-bounds": {
    summary: "`clip(x, lo, hi)` has lo <= hi",
    check(plan, report) {
      for (const stage of plan.stages) {
        const exprs: [RewardExpr, PlanLocation][] = [
          ...stage.graph.flatMap((n): [RewardExpr, PlanLocation][] =>
            n.op === "Combine" ? [[n.expr, { in: "node", stage: stage.name, node: n.id, path: ["expr"] }]] : [],
          ),
          ...(stage.eval?.rewards ?? []).map(({ expr }, i): [RewardExpr, PlanLocation] => [
            expr,
            { in: "stage", stage: stage.name, path: ["eval", "rewards", i] },
          ]),
        ];
        for (const [expr, at] of exprs) {
          for (const e of subexpressions(expr)) if (e.op === "clip" && !(e.lo <= e.hi)) report(at, `\`clip\` bounds ${e.lo} above ${e.hi}`);
        }
      }
    },
  },
} as const satisfies Record<string, PlanRule>;

export type PlanRuleName = keyof typeof PLAN_RULES;

/** Every broken rule of the plan, in the table's order; none for a plan the runtime can run. */
export function checkPlan(plan: Plan): PlanIssue[] {
  const issues: PlanIssue[] = [];
  for (const [rule, { check }] of Object.entries(PLAN_RULES) as [PlanRuleName, PlanRule][]) {
    check(plan, (at, message, help) => issues.push(help === undefined ? { rule, at, message } : { rule, at, message, help }));
  }
  return issues;
}

/** Per kind of stage, how many nodes of each op it has: [at least, at most]. */
const STAGE_NODES: Record<Stage["kind"], Record<Node["op"], [number, number]>> = {
  rl: {
    Sample: [1, 1],
    Score: [0, Infinity],
    Filter: [0, Infinity],
    Combine: [0, Infinity],
    Credit: [1, 1],
    Advantage: [1, 1],
    Loss: [1, 1],
    Expert: [0, 1],
    Batch: [0, 0],
    Step: [1, 1],
  },
  sft: {
    Sample: [0, 0],
    Score: [0, 0],
    Filter: [0, 0],
    Combine: [0, 0],
    Credit: [0, 0],
    Advantage: [0, 0],
    Loss: [1, 1],
    Expert: [0, 0],
    Batch: [1, 1],
    Step: [1, 1],
  },
};

function missing(stage: Stage, id: string): string {
  return stage.graph.some((n) => n.id === id) ? "which comes after it" : "which is not a node of the stage";
}
