import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { TextDocument } from "vscode-languageserver-textdocument";
import { REPO_ROOT } from "../test/recipes.js";
import { type Analysis, analyze } from "./analysis.js";
import { declarationAt, referencesTo } from "./references.js";

const FILE = path.join(REPO_ROOT, "recipes/arith/flagship.recipe");
const flagship = readFileSync(FILE, "utf8");

function analysisOf(text: string): Promise<Analysis> {
  return analyze(TextDocument.create(pathToFileURL(FILE).href, "roux", 1, text), { env: {}, open: () => undefined, openUri: () => undefined });
}

/** The lines of every reference to what the name at `needle` (its `nth` occurrence) refers to. */
async function referenceLines(text: string, needle: string, nth = 0): Promise<{ file: string; line: string }[]> {
  const analysis = await analysisOf(text);
  let offset = -1;
  for (let i = 0; i <= nth; i++) offset = text.indexOf(needle, offset + 1);
  const target = declarationAt(analysis, offset);
  if (target === undefined) return [];
  return referencesTo([analysis], target.declaration, true).map((l) => {
    const file = l.uri.endsWith("presets.recipe") ? "presets" : "recipe";
    const source = file === "presets" ? readFileSync(path.join(REPO_ROOT, "recipes/std/presets.recipe"), "utf8") : text;
    return { file, line: source.split("\n")[l.range.start.line]!.trim() };
  });
}

describe("find references", () => {
  it("counts a name where the checker took it for the declaration, not where the same name meant a built-in", async () => {
    // `rloo` the preset (a stage) and `rloo` the advantage built-in share a name.
    const text = flagship.replace("stage rl = grpo with {", "stage rl = rloo with {\n  advantage = rloo");
    const preset = await referenceLines(text, "rloo with");
    expect(preset).toEqual([
      { file: "recipe", line: "stage rl = rloo with {" },
      { file: "presets", line: "stage rloo = rl {" },
    ]);
  });

  it("finds nothing for a built-in, a field name or text that does not parse", async () => {
    expect(await referenceLines(flagship, "adam {")).toEqual([]);
    expect(await referenceLines(flagship, "optimizer =")).toEqual([]);
    expect(await referenceLines(`${flagship}\nlet broken = (`, "demos")).toEqual([]);
  });
});
