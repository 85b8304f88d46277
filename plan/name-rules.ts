/**
 * The rules of plan/check-plan.ts about names: each thing a plan names once, every name a stage
 * uses one the plan declares, and the datasets read for their responses ones that have them.
 */
import type { PlanLocation, PlanPath } from "./plan-issue.js";
import { leafNames, type PlanRule } from "./plan-rule.js";

export const NAME_RULES = {
  "unique-names": {
    summary: "datasets, reward sources and stages have distinct names, and a stage's nodes distinct ids",
    check(plan, report) {
      const once = (names: string[], at: (name: string) => PlanLocation, what: string) => {
        const seen = new Set<string>();
        for (const name of names) {
          if (seen.has(name)) report(at(name), `two ${what} are named \`${name}\``);
          seen.add(name);
        }
      };
      once(
        plan.datasets.map((d) => d.name),
        (dataset) => ({ in: "dataset", dataset, path: [] }),
        "datasets",
      );
      once(
        plan.rewards.map((r) => r.name),
        (reward) => ({ in: "reward", reward, path: [] }),
        "reward sources",
      );
      once(
        plan.stages.map((s) => s.name),
        (stage) => ({ in: "stage", stage, path: [] }),
        "stages",
      );
      for (const stage of plan.stages)
        once(
          stage.graph.map((n) => n.id),
          (node) => ({ in: "node", stage: stage.name, node, path: ["id"] }),
          `nodes of stage \`${stage.name}\``,
        );
    },
  },
  references: {
    summary: "every dataset and reward source a stage names is one of the plan's",
    check(plan, report) {
      const datasets = new Set(plan.datasets.map((d) => d.name));
      const rewards = new Set(plan.rewards.map((r) => r.name));
      const dataset = (name: string, at: PlanLocation) => {
        if (!datasets.has(name)) report(at, `the plan has no dataset \`${name}\``);
      };
      for (const stage of plan.stages) {
        for (const node of stage.graph) {
          const at = (...path: PlanPath): PlanLocation => ({ in: "node", stage: stage.name, node: node.id, path });
          if (node.op === "Sample" || node.op === "Batch") dataset(node.data, at("data"));
          if (node.op === "Expert") dataset(node.expert.data, at("expert", "data"));
          if (node.op === "Score" && !rewards.has(node.reward)) report(at("reward"), `the plan has no reward source \`${node.reward}\``);
        }
        if (stage.eval === null) continue;
        dataset(stage.eval.data, { in: "stage", stage: stage.name, path: ["eval", "data"] });
        stage.eval.rewards.forEach(({ expr }, i) => {
          for (const name of leafNames(expr, "reward")) {
            if (!rewards.has(name)) report({ in: "stage", stage: stage.name, path: ["eval", "rewards", i] }, `the plan has no reward source \`${name}\``);
          }
        });
      }
    },
  },
  responses: {
    summary: "SFT batches and expert data read datasets that carry responses",
    check(plan, report) {
      const withResponses = new Set(plan.datasets.filter((d) => d.responses).map((d) => d.name));
      const known = new Set(plan.datasets.map((d) => d.name));
      for (const stage of plan.stages) {
        for (const node of stage.graph) {
          const at = (...path: PlanPath): PlanLocation => ({ in: "node", stage: stage.name, node: node.id, path });
          // An unknown dataset is the `references` rule's to report.
          const needs = (data: string, where: PlanLocation, role: string) => {
            if (known.has(data) && !withResponses.has(data)) report(where, `${role} learns from responses, and dataset \`${data}\` has none`);
          };
          if (node.op === "Batch") needs(node.data, at("data"), `stage \`${stage.name}\``);
          if (node.op === "Expert") needs(node.expert.data, at("expert", "data"), "the expert term");
        }
      }
    },
  },
} as const satisfies Record<string, PlanRule>;
