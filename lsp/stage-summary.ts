/**
 * What a hover on a stage adds when the recipe checks clean: the stage's dataflow graph on one
 * line, with the node labels `roux graph` prints (compiler/backends/label.ts), and its cost
 * estimate per step with `roux cost`'s columns (compiler/plan/cost-cells.ts). Both read the plan
 * the recipe lowers to, so a stage not in `run.stages` has neither.
 */
import { nodeLabel, stageTitle } from "../compiler/backends/label.js";
import { estimateCost } from "../compiler/plan/cost.js";
import { COST_COLUMNS, costCells } from "../compiler/plan/cost-cells.js";
import { lowerProgram } from "../compiler/plan/lower.js";
import type { ProgramResult } from "../compiler/program.js";

export function stageSummary(program: ProgramResult, name: string): string[] {
  // Lowering needs a recipe without errors (as `roux graph` refuses one) and its `run` block.
  if (program.root.result?.run === undefined || program.diagnostics.some((d) => d.severity === "error")) return [];
  const plan = lowerProgram(program);
  const stage = plan.stages.find((s) => s.name === name);
  if (stage === undefined) return [`\`${name}\` is not in \`run.stages\`: it does not run`];
  const graph = stage.graph.map((node) => nodeLabel(node, stage, plan)).join(" ▶ ");
  const parts = [`${stageTitle(stage)}:\n\n\`\`\`text\n${graph}\n\`\`\``];
  // Estimates cover the local transformer; a hub model's stages have none (as `roux cost` says).
  if (plan.policy.kind === "transformer") {
    const cost = estimateCost(plan).find((c) => c.stage === name);
    if (cost)
      parts.push(`per step (\`roux cost\`):\n\n| ${COST_COLUMNS.join(" | ")} |\n|${" --- |".repeat(COST_COLUMNS.length)}\n| ${costCells(cost).join(" | ")} |`);
  }
  return parts;
}
