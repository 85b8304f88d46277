/**
 * `roux graph --format text` (docs/architecture.md "roux graph"): each stage as its title, then one line per node in
 * execution order, `Label ──▶ value[shape]`. A node that reads exactly the values of the lines
 * just above it (PROF reading the outcome and process scores) is drawn to their right, joined
 * by a bracket:
 *
 *     Score(correct: outcome)  ──▶ y[B,G]   ┐
 *     Score(steps: process)    ──▶ v[B,G,K] ┴▶ Filter(PROF remove=4) ──▶ keep[B,G]
 */
import type { Node, Plan, Stage } from "../../plan/plan.js";
import { evalText, nodeLabel, outputText, stageTitle } from "./label.js";

/** Labels longer than this do not widen the label column (they run past the arrows). */
const LABEL_COLUMN_LIMIT = 40;
const ARROW = "──▶";

interface Line {
  node: Node;
  label: string;
  output?: string;
  /** Part of a bracket that joins these lines into the node drawn to the right of the last. */
  join?: { mark: "┐" | "┤" | "┴▶"; width: number; joined?: string };
}

export function graphText(plan: Plan): string {
  return plan.stages.map((stage) => stageText(plan, stage)).join("\n");
}

function stageText(plan: Plan, stage: Stage): string {
  const lines: Line[] = [];
  for (const node of stage.graph) {
    const label = nodeLabel(node, stage, plan);
    const output = "output" in node ? outputText(node.output) : undefined;
    const above = lines.slice(-node.inputs.length);
    if (node.inputs.length >= 2 && readsExactly(node, above)) {
      const width = Math.max(...above.map((l) => l.output?.length ?? 0));
      const joined = output === undefined ? label : `${label} ${ARROW} ${output}`;
      above.forEach((line, i) => {
        const last = i === above.length - 1;
        line.join = { mark: i === 0 ? "┐" : last ? "┴▶" : "┤", width, ...(last ? { joined } : {}) };
      });
    } else {
      lines.push({ node, label, output });
    }
  }
  const column = Math.max(0, ...lines.map((l) => l.label.length).filter((n) => n <= LABEL_COLUMN_LIMIT));
  const body = lines.map((line) => `  ${lineText(line, column)}`);
  if (stage.eval) body.push(`  ${evalText(stage.eval)}`);
  return `${stageTitle(stage)}\n${body.join("\n")}\n`;
}

/** Whether `lines` are the node's inputs, all of them, none already joined to another node. */
function readsExactly(node: Node, lines: Line[]): boolean {
  const ids = new Set(lines.map((l) => l.node.id));
  return lines.length === node.inputs.length && node.inputs.every((id) => ids.has(id)) && lines.every((l) => l.join === undefined);
}

function lineText(line: Line, column: number): string {
  if (line.output === undefined) return line.label;
  const text = `${line.label.padEnd(column)} ${ARROW} `;
  if (line.join === undefined) return text + line.output;
  const joined = line.join.joined === undefined ? "" : ` ${line.join.joined}`;
  return `${text}${line.output.padEnd(line.join.width)} ${line.join.mark}${joined}`;
}
