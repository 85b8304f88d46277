/**
 * The plan's rules for docs/algorithms.md §0 steps 2 to 6, a part of the table of
 * plan/check-plan.ts: what PROF's Filter and the Credit node read, the advantage ops in the order
 * the pipeline applies them, and the null control's credit (§1.11).
 */
import type { AdvantageOp } from "./plan.js";
import type { PlanLocation, PlanPath } from "./plan-issue.js";
import { forEachNode, type PlanRule, valueGranularity } from "./plan-rule.js";
import { article } from "./reward-granularity.js";

/** docs/algorithms.md section 0: a baseline (at most one), then whitening, then EMPG. */
export const ADVANTAGE_ORDER = { group_norm: 1, rloo: 1, whiten: 2, empg: 3 } as const satisfies Record<AdvantageOp["kind"], number>;

export const ADVANTAGE_RULES = {
  "filter-inputs": {
    summary: "PROF's Filter node reads an outcome reward and then a process reward",
    check(plan, report) {
      forEachNode(plan, "Filter", (node, stage, nodes, sources) => {
        const [outcome, process] = node.inputs.map((id) => valueGranularity(nodes.get(id), sources));
        if (node.inputs.length !== 2 || outcome !== "outcome" || process !== "process") {
          report(
            { in: "node", stage: stage.name, node: node.id, path: ["inputs"] },
            `PROF reads ${node.inputs.map((id) => `\`${id}\` (${article(valueGranularity(nodes.get(id), sources))})`).join(", ") || "nothing"}; it reads an outcome reward, then a process reward`,
          );
        }
      });
    },
  },
  "credit-inputs": {
    summary:
      "the Credit node reads the stage's reward (a Score or Combine node), then its Filter nodes; min_form and sum_form credit a process or token reward",
    check(plan, report) {
      forEachNode(plan, "Credit", (node, stage, nodes, sources) => {
        const at = (...path: PlanPath): PlanLocation => ({ in: "node", stage: stage.name, node: node.id, path });
        const [reward, ...filters] = node.inputs;
        const granularity = reward === undefined ? undefined : valueGranularity(nodes.get(reward), sources);
        if (granularity === undefined)
          report(at("inputs", 0), `the Credit node credits ${reward === undefined ? "nothing" : `\`${reward}\``}, which is not a Score or Combine node`);
        filters.forEach((id, i) => {
          if (nodes.get(id)?.op !== "Filter") report(at("inputs", i + 1), `the Credit node reads \`${id}\` after its reward, which is not a Filter node`);
        });
        if (node.credit.kind !== "outcome" && granularity === "outcome") {
          report(
            at("credit"),
            `${node.credit.kind} credit needs step-level rewards, and \`${reward}\` is an outcome reward`,
            "credit a process reward, or use `credit = outcome`",
          );
        }
      });
    },
  },
  "advantage-order": {
    summary: "the advantage applies at most one baseline (group_norm or rloo), then whiten, then empg, each once",
    check(plan, report) {
      forEachNode(plan, "Advantage", (node, stage) => {
        // What the recipe can say instead: its ops in their places, one per place (the first written).
        const mended: string[] = [];
        let place = 0;
        for (const op of [...node.ops].sort((a, b) => ADVANTAGE_ORDER[a.kind] - ADVANTAGE_ORDER[b.kind])) {
          if (ADVANTAGE_ORDER[op.kind] > place) mended.push(op.kind);
          place = ADVANTAGE_ORDER[op.kind];
        }
        let last: AdvantageOp | undefined;
        node.ops.forEach((op, i) => {
          if (last !== undefined && ADVANTAGE_ORDER[op.kind] <= ADVANTAGE_ORDER[last.kind]) {
            report(
              { in: "node", stage: stage.name, node: node.id, path: ["ops", i] },
              op.kind === last.kind ? `the advantage applies \`${op.kind}\` twice` : `the advantage applies \`${op.kind}\` after \`${last.kind}\``,
              `write \`${mended.join(" |> ")}\``,
            );
          }
          last = op;
        });
      });
    },
  },
  "advantage-control": {
    summary: "a null control (`shuffled_advantages`) is in a stage with outcome credit: it permutes one advantage per response",
    check(plan, report) {
      forEachNode(plan, "Advantage", (node, stage) => {
        if (node.control === undefined) return;
        const credit = stage.graph.find((n) => n.op === "Credit");
        if (credit?.op === "Credit" && credit.credit.kind !== "outcome") {
          report(
            { in: "node", stage: stage.name, node: node.id, path: ["control"] },
            `the null control \`${node.control}\` permutes one advantage per response, and \`${credit.credit.kind}\` credit gives one per token`,
            "credit the stage with `outcome`",
          );
        }
      });
    },
  },
} as const satisfies Record<string, PlanRule>;
