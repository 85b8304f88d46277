import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { TextDocument } from "vscode-languageserver-textdocument";
import { REPO_ROOT } from "../test/recipes.js";
import { analyze } from "./analysis.js";
import { fieldAt, fieldReferences } from "./field-references.js";

const FILE = path.join(REPO_ROOT, "recipes/arith/flagship.recipe");
const flagship = readFileSync(FILE, "utf8");

/** The references to the field at `needle`: each one's line number and that line's text. */
async function fieldReferenceLines(text: string, needle: string): Promise<{ line: number; text: string }[]> {
  const analysis = await analyze(TextDocument.create(pathToFileURL(FILE).href, "roux", 1, text), { env: {}, open: () => undefined, openUri: () => undefined });
  const field = fieldAt(analysis, text.indexOf(needle));
  if (field === undefined) return [];
  return fieldReferences([analysis], field).map((l) => {
    const line = text.split("\n")[l.range.start.line]!;
    expect(line.slice(l.range.start.character, l.range.end.character)).toBe(field.name);
    return { line: l.range.start.line, text: line.trim() };
  });
}

async function fieldLines(text: string, needle: string): Promise<string[]> {
  return (await fieldReferenceLines(text, needle)).map((l) => l.text);
}

describe("find references of a field", () => {
  it("finds every field and named argument setting the same parameter of the same built-in or record", async () => {
    expect(await fieldLines(flagship, "lr =")).toEqual([
      "optimizer = adam { lr = cosine(2e-3 -> 1e-4, over = 1200 steps) }",
      "optimizer = adam { lr = cosine(1e-4 -> 1e-5, over = 150 steps) }",
    ]);
    // `every` of both `eval` records; `seed` of every task generator, not of `run`.
    expect(await fieldLines(flagship, "every =")).toHaveLength(2);
    expect(await fieldLines(flagship, "seed = 1")).toHaveLength(3);
    expect(await fieldLines(flagship, "seed = 17")).toEqual(["seed = 17"]);
    // A named argument is a field too: `ref` of `k3`.
    expect(await fieldLines(flagship, "ref = warmup")).toEqual(["loss = ppo { clip = 0.2, kl = k3(0.001, ref = warmup) }"]);
  });

  it("keeps apart a name two built-ins each take: `data` of `sft` is not `data` of `chord`", async () => {
    const [sft, ...otherSft] = await fieldReferenceLines(flagship, "data = demos");
    const [chord, ...otherChord] = await fieldReferenceLines(flagship, "data = demos\n    mu");
    expect([otherSft, otherChord]).toEqual([[], []]);
    expect(sft?.text).toBe("data = demos");
    expect(chord?.text).toBe("data = demos");
    expect(chord?.line).toBeGreaterThan(sft!.line);
  });

  it("finds nothing on a declaration's name or a value", async () => {
    expect(await fieldLines(flagship, "warmup = sft")).toEqual([]);
    expect(await fieldLines(flagship, "4000")).toEqual([]);
  });
});
