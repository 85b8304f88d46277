import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { TextDocument } from "vscode-languageserver-textdocument";
import { REPO_ROOT } from "../test/recipes.js";
import { analyze } from "./analysis.js";
import { definitionAt } from "./definition.js";

const RECIPES = path.join(REPO_ROOT, "test/e2e/recipes");
const RL = pathToFileURL(path.join(RECIPES, "rl.recipe")).href;
const SFT = pathToFileURL(path.join(RECIPES, "sft.recipe")).href;

const SWEEP = `sweep defs "definitions from a sweep's items"

variants {
  sft = "${RECIPES}/sft.recipe"
  rl = "${RECIPES}/rl.recipe" with { rl.optimizer.lr = 1e-3, rl.control = shuffled_advantages }
}

sweep { run.seed = [1, 2] }
`;

/** Where definition goes from the first character of the `nth` occurrence of `needle` in the sweep: each location's file and line, column. */
async function definitionOf(needle: string, nth = 0): Promise<[string, number, number][]> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "roux-lsp-sweep-def-")), "defs.sweep");
  writeFileSync(file, SWEEP);
  const analysis = await analyze(TextDocument.create(pathToFileURL(file).href, "roux", 1, SWEEP), {
    env: {},
    open: () => undefined,
    openUri: () => undefined,
  });
  expect(analysis.sweep?.diagnostics).toEqual([]);
  let offset = -1;
  for (let i = 0; i <= nth; i++) offset = SWEEP.indexOf(needle, offset + 1);
  const found = definitionAt(analysis, offset);
  const locations = found === null ? [] : Array.isArray(found) ? found : [found];
  return locations.map((l) => [l.uri === RL ? "rl" : l.uri === SFT ? "sft" : l.uri, l.range.start.line + 1, l.range.start.character + 1]);
}

describe("definition in a sweep", () => {
  it("goes from a variant's recipe path to the recipe", async () => {
    expect(await definitionOf("/rl.recipe")).toEqual([["rl", 1, 1]]);
  });

  it("goes from each name of a variant's setting to where its recipe writes it", async () => {
    expect(await definitionOf("rl.optimizer")).toEqual([["rl", 15, 7]]);
    expect(await definitionOf("optimizer.lr")).toEqual([["rl", 22, 3]]);
    expect(await definitionOf("lr =")).toEqual([["rl", 22, 22]]);
    // Not written in the recipe (the preset's default): the stage that holds it.
    expect(await definitionOf("control")).toEqual([["rl", 15, 7]]);
  });

  it("goes from a grid's setting to every recipe the sweep runs", async () => {
    expect(await definitionOf("seed")).toEqual([
      ["sft", 22, 3],
      ["rl", 27, 3],
    ]);
    expect(await definitionOf("run.seed")).toEqual([
      ["sft", 20, 1],
      ["rl", 25, 1],
    ]);
  });
});
