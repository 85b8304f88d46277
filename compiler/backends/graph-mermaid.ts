/**
 * `roux graph --format mermaid`: the plan as a Mermaid flowchart, which GitHub and most
 * Markdown viewers draw from a ```mermaid block. Mermaid ids must be plain words, so boxes are
 * numbered (`s1n4`) and their text goes in quoted labels.
 */
import type { Plan } from "../../plan/plan.js";
import { drawPlan, type Arrow } from "./drawing.js";

const ARROW: Readonly<Record<Arrow["kind"], string>> = {
  data: "-->",
  next: "-. then .->",
  ref: "-. KL ref .->",
};

/** Text for inside a quoted Mermaid label: quotes and angle brackets as Mermaid's entity codes. */
function escapeMermaid(text: string): string {
  return text.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
}

export function graphMermaid(plan: Plan): string {
  const { clusters, arrows } = drawPlan(plan);
  const ids = new Map<string, string>();
  const lines = ["flowchart TD"];
  clusters.forEach((cluster, i) => {
    lines.push(`  subgraph s${i}["${escapeMermaid(cluster.title)}"]`);
    cluster.boxes.forEach((box, j) => {
      const id = `s${i}n${j}`;
      ids.set(box.key, id);
      const text = box.output ? `${escapeMermaid(box.label)}<br/>${escapeMermaid(box.output)}` : escapeMermaid(box.label);
      lines.push(`    ${id}["${text}"]`);
    });
    lines.push("  end");
  });
  for (const arrow of arrows) lines.push(`  ${ids.get(arrow.from)} ${ARROW[arrow.kind]} ${ids.get(arrow.to)}`);
  return `${lines.join("\n")}\n`;
}
