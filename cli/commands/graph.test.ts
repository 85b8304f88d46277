import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../test/recipes.js";
import { runCli } from "../../test/run-cli.js";

const FLAGSHIP = "recipes/arith/flagship.recipe";

describe("roux graph", () => {
  it("draws the stages as text by default", async () => {
    const result = await runCli(["graph", FLAGSHIP]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(readFileSync(path.join(REPO_ROOT, "compiler/backends/golden/flagship.txt"), "utf8"));
  });

  it("draws DOT, Mermaid and SVG", async () => {
    const dot = await runCli(["graph", "--format", "dot", FLAGSHIP]);
    expect(dot.status).toBe(0);
    expect(dot.stdout).toMatch(/^digraph "arith_chord" \{\n/);
    const mermaid = await runCli(["graph", "--format", "mermaid", FLAGSHIP]);
    expect(mermaid.status).toBe(0);
    expect(mermaid.stdout).toMatch(/^flowchart TD\n/);
    const svg = await runCli(["graph", "--format", "svg", FLAGSHIP]);
    expect(svg.status).toBe(0);
    expect(svg.stdout).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" class="roux-graph"/);
  });

  it("rejects an unknown format before reading the recipe", async () => {
    const result = await runCli(["graph", "--format", "png", "missing.recipe"]);
    expect(result).toMatchObject({ status: 2, stdout: "", stderr: "error: --format takes `text`, `dot`, `mermaid`, `svg`, not `png`\n" });
  });

  it("refuses a recipe with errors", async () => {
    const result = await runCli(["graph", "--set", "rl.batch=0", FLAGSHIP]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("error[E2105]");
  });
});
