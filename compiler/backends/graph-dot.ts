/** `roux graph --format dot`: the plan for Graphviz (`dot -Tsvg`), one cluster per stage. */
import type { Plan } from "../../plan/plan.js";
import { drawPlan, type Arrow } from "./drawing.js";

const ARROW_STYLE: Readonly<Record<Arrow["kind"], string>> = {
  data: "",
  next: ' [style=dashed, label="then"]',
  ref: ' [style=dotted, label="KL ref"]',
};

/** A DOT string literal: the content between double quotes, with `\n` for line breaks. */
function quote(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

export function graphDot(plan: Plan): string {
  const { clusters, arrows } = drawPlan(plan);
  const lines = [`digraph ${quote(plan.recipe.name)} {`, "  rankdir=TB;", '  node [shape=box, fontname="monospace"];'];
  clusters.forEach((cluster, i) => {
    lines.push(`  subgraph cluster_${i} {`, `    label=${quote(cluster.title)};`);
    for (const box of cluster.boxes) {
      lines.push(`    ${quote(box.key)} [label=${quote(box.output ? `${box.label}\n${box.output}` : box.label)}];`);
    }
    lines.push("  }");
  });
  for (const arrow of arrows) lines.push(`  ${quote(arrow.from)} -> ${quote(arrow.to)}${ARROW_STYLE[arrow.kind]};`);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
