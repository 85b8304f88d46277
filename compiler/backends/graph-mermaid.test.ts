import path from "node:path";
import { describe, expect, it } from "vitest";
import { recipeFiles, REPO_ROOT } from "../../test/recipes.js";
import { planOf, planOfFile, recipe } from "../plan/testing.js";
import { graphMermaid } from "./graph-mermaid.js";

describe("graph Mermaid", () => {
  for (const { file } of recipeFiles(path.join(REPO_ROOT, "recipes/arith"))) {
    it(`draws every node and edge of ${file}`, () => {
      const plan = planOfFile(file);
      const lines = graphMermaid(plan).trimEnd().split("\n");
      expect(lines[0]).toBe("flowchart TD");
      expect(lines.filter((l) => l.trim().startsWith("subgraph "))).toHaveLength(plan.stages.length);
      expect(lines.filter((l) => l.trim() === "end")).toHaveLength(plan.stages.length);
      // Boxes are numbered by stage and node: s<stage>n<node>.
      const id = (stage: number, node: string) => `s${stage}n${plan.stages[stage]?.graph.findIndex((n) => n.id === node)}`;
      let dataEdges = 0;
      plan.stages.forEach((stage, i) => {
        stage.graph.forEach((node) => {
          expect(
            lines.filter((l) => l.trim().startsWith(`${id(i, node.id)}["${node.op}(`)),
            `${stage.name}/${node.id}`,
          ).toHaveLength(1);
          for (const input of node.inputs) expect(lines).toContain(`  ${id(i, input)} --> ${id(i, node.id)}`);
          dataEdges += node.inputs.length;
        });
      });
      expect(lines.filter((l) => l.includes(" --> "))).toHaveLength(dataEdges);
      expect(lines.filter((l) => l.includes(" -. then .-> "))).toHaveLength(plan.stages.length - 1);
    });
  }

  it("escapes what Mermaid would read as markup in a label", () => {
    const text = graphMermaid(planOf(recipe(`reward = 2 * steps - 1\n credit = min_form\n advantage = rloo |> whiten`)));
    expect(text).toContain("Advantage(rloo |#gt; whiten)");
    expect(text).not.toMatch(/\["[^"\n]*"[^\]\n]*"\]/);
  });
});
