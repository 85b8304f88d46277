import path from "node:path";
import { describe, expect, it } from "vitest";
import { recipeFiles, REPO_ROOT } from "../../test/recipes.js";
import { planOfFile } from "../plan/testing.js";
import { graphDot } from "./graph-dot.js";
import { nodeLabel } from "./label.js";

describe("graph DOT", () => {
  for (const { file } of recipeFiles(path.join(REPO_ROOT, "recipes/arith"))) {
    it(`draws every node and edge of ${file}`, () => {
      const plan = planOfFile(file);
      const dot = graphDot(plan);
      const lines = dot.split("\n");
      expect(lines[0]).toBe(`digraph "${plan.recipe.name}" {`);
      expect(dot.split("{").length).toBe(dot.split("}").length);
      expect(lines.filter((l) => l.includes("subgraph cluster_"))).toHaveLength(plan.stages.length);
      let dataEdges = 0;
      for (const stage of plan.stages) {
        for (const node of stage.graph) {
          const key = `"${stage.name}/${node.id}"`;
          const declared = lines.filter((l) => l.trimStart().startsWith(`${key} [label=`));
          expect(declared, key).toHaveLength(1);
          expect(declared[0]).toContain(nodeLabel(node, stage, plan).replace(/"/g, '\\"'));
          for (const input of node.inputs) expect(lines).toContain(`  "${stage.name}/${input}" -> ${key};`);
          dataEdges += node.inputs.length;
        }
      }
      expect(lines.filter((l) => / -> "[^"]+";$/.test(l))).toHaveLength(dataEdges);
    });
  }

  it("draws the order of stages and a KL reference as labelled edges", () => {
    const dot = graphDot(planOfFile("recipes/arith/flagship.recipe"));
    expect(dot).toContain(`  "warmup/step" -> "rl/sample" [style=dashed, label="then"];\n`);
    expect(dot).toContain(`  "warmup/step" -> "rl/loss" [style=dotted, label="KL ref"];\n`);
  });
});
