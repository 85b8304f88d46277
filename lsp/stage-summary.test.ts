import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { TextDocument } from "vscode-languageserver-textdocument";
import { REPO_ROOT } from "../test/recipes.js";
import { runCli } from "../test/run-cli.js";
import { analyze } from "./analysis.js";
import { hoverAt } from "./hover.js";

const FLAGSHIP = "recipes/arith/flagship.recipe";
const text = readFileSync(path.join(REPO_ROOT, FLAGSHIP), "utf8");

async function hoverOn(source: string, needle: string): Promise<string> {
  const document = TextDocument.create(pathToFileURL(path.join(REPO_ROOT, FLAGSHIP)).href, "roux", 1, source);
  const analysis = await analyze(document, { env: {}, open: () => undefined, openUri: () => undefined });
  const hover = hoverAt(analysis, source.indexOf(needle));
  return hover && typeof hover.contents === "object" && "value" in hover.contents ? hover.contents.value : "";
}

describe("hover on a stage", () => {
  it("shows the stage's graph on one line with `roux graph`'s labels, and its `roux cost` row", async () => {
    const shown = await hoverOn(text, "rl = grpo");
    const graph = (await runCli(["graph", FLAGSHIP])).stdout;
    const title = graph.split("\n").find((line) => line.startsWith("stage rl "))!;
    expect(shown).toContain(`${title}:`);
    const line = /```text\n(.*)\n```/.exec(shown)![1]!;
    const labels = line.split(" ▶ ");
    // Every node of the stage, in order, as `roux graph` labels it.
    const graphLines = graph.slice(graph.indexOf(title)).split("\n").slice(1);
    expect(labels.length).toBeGreaterThanOrEqual(8);
    let from = 0;
    for (const label of labels) {
      const at = graphLines.findIndex((l, i) => i >= from && l.includes(label));
      expect(at, `${label} in\n${graph}`).toBeGreaterThanOrEqual(from);
      from = at;
    }
    const cost = (await runCli(["cost", FLAGSHIP])).stdout.split("\n");
    const [header, row] = [cost[0]!.split(/ {2,}/), cost.find((l) => l.startsWith("rl "))!.split(/ {2,}/)];
    const table = shown.slice(shown.indexOf("| params")).split("\n");
    expect(table[0]).toBe(`| ${header.slice(1, -1).join(" | ")} |`);
    expect(table[2]).toBe(`| ${row.slice(1, -1).join(" | ")} |`);
  });

  it("says so for a stage not in `run.stages`, and adds nothing while the recipe has errors", async () => {
    // Declared but not run: W0001 warns, and there is no graph to show.
    expect(await hoverOn(`${text}\nstage extra = warmup\n`, "extra = warmup")).toContain("`extra` is not in `run.stages`");
    const broken = await hoverOn(text.replace("seed = 17", 'seed = "x"'), "rl = grpo");
    expect(broken).toMatch(/^```roux\nstage rl : /);
    expect(broken).not.toContain("roux cost");
  });
});
