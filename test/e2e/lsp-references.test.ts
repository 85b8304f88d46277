/**
 * `roux lsp` find references and rename, driven over stdio as an editor drives them
 * (lsp/testing.ts), on recipes/ and on a recipe importing a local module. The build
 * (`npm run build`) must be current.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TextDocument } from "vscode-languageserver-textdocument";
import { checkRecipe } from "../../compiler/check-recipe.js";
import { fileUri, LspClient, positionOf } from "../../lsp/testing.js";
import { REPO_ROOT } from "../recipes.js";

const FLAGSHIP = "recipes/arith/flagship.recipe";
const flagshipText = readFileSync(path.join(REPO_ROOT, FLAGSHIP), "utf8");

type Range = { start: { line: number; character: number }; end: { line: number; character: number } };
type Edit = { range: Range; newText: string };

/** Where `word` is written as a whole word outside `//` comments, as ranges. */
function wordRanges(text: string, word: string): Range[] {
  return text.split("\n").flatMap((line, n) => {
    const code = line.replace(/\/\/.*$/, "");
    return [...code.matchAll(new RegExp(`\\b${word}\\b`, "g"))].map((m) => ({
      start: { line: n, character: m.index },
      end: { line: n, character: m.index + word.length },
    }));
  });
}

function applyEdits(text: string, edits: Edit[]): string {
  return TextDocument.applyEdits(TextDocument.create("roux:edited", "roux", 0, text), edits);
}

const clients: LspClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.kill();
});
async function started(cwd?: string): Promise<LspClient> {
  const lsp = new LspClient(cwd);
  clients.push(lsp);
  const init = await lsp.initialize();
  expect(init.capabilities).toMatchObject({ referencesProvider: true, renameProvider: { prepareProvider: true } });
  return lsp;
}

describe("roux lsp references and rename (over stdio)", () => {
  it("finds every use of a reward and a stage in the flagship, and renames the reward so the recipe still checks", async () => {
    const lsp = await started();
    const uri = fileUri(FLAGSHIP);
    lsp.open(uri, flagshipText);
    await lsp.diagnostics(uri);

    // From a use (`prof(outcome = correct, ...)`): the declaration and every use, not the comment's mention.
    const use = positionOf(flagshipText, "correct", flagshipText.indexOf("prof("));
    const correct = await lsp.request<{ uri: string; range: Range }[]>("textDocument/references", {
      textDocument: { uri },
      position: use,
      context: { includeDeclaration: true },
    });
    expect(correct.map((l) => l.range)).toEqual(wordRanges(flagshipText, "correct"));
    expect(correct.length).toBe(4);
    expect(new Set(correct.map((l) => l.uri))).toEqual(new Set([uri]));

    // A stage, asked from its declaration, without it: its use as the KL reference and in `stages`.
    const warmup = await lsp.request<{ range: Range }[]>("textDocument/references", {
      textDocument: { uri },
      position: positionOf(flagshipText, "warmup ="),
      context: { includeDeclaration: false },
    });
    expect(warmup.map((l) => l.range)).toEqual(wordRanges(flagshipText, "warmup").slice(1));
    expect(warmup.length).toBe(2);

    const prepared = await lsp.request<{ range: Range; placeholder: string }>("textDocument/prepareRename", { textDocument: { uri }, position: use });
    expect(prepared).toEqual({ placeholder: "correct", range: { start: use, end: { ...use, character: use.character + 7 } } });
    const edit = await lsp.request<{ changes: Record<string, Edit[]> }>("textDocument/rename", { textDocument: { uri }, position: use, newName: "exact" });
    expect(Object.keys(edit.changes)).toEqual([uri]);
    const renamed = applyEdits(flagshipText, edit.changes[uri]!);
    expect(wordRanges(renamed, "correct")).toEqual([]);
    const byHand = flagshipText
      .split("\n")
      .map((line) => line.replace(/^([^/]*)/, (code) => code.replace(/\bcorrect\b/g, "exact")))
      .join("\n");
    expect(renamed).toBe(byHand);
    const checked = await checkRecipe(path.join(REPO_ROOT, FLAGSHIP), renamed);
    expect(checked.diagnostics).toEqual([]);
    expect(await lsp.shutdown()).toBe(0);
  });

  it("refuses to rename a declaration of the standard library, to a keyword, or to a name the module has", async () => {
    const lsp = await started();
    const uri = fileUri(FLAGSHIP);
    lsp.open(uri, flagshipText);
    await lsp.diagnostics(uri);
    const grpo = positionOf(flagshipText, "grpo with");
    // The preset can still be found: its declaration in std/presets and its use here.
    const uses = await lsp.request<{ uri: string }[]>("textDocument/references", {
      textDocument: { uri },
      position: grpo,
      context: { includeDeclaration: true },
    });
    expect(uses.map((l) => l.uri).sort()).toEqual([uri, fileUri("recipes/std/presets.recipe")].sort());
    await expect(lsp.request("textDocument/prepareRename", { textDocument: { uri }, position: grpo })).rejects.toThrow(/standard library/);
    await expect(lsp.request("textDocument/rename", { textDocument: { uri }, position: grpo, newName: "mine" })).rejects.toThrow(/standard library/);
    const demos = positionOf(flagshipText, "demos =");
    await expect(lsp.request("textDocument/rename", { textDocument: { uri }, position: demos, newName: "stage" })).rejects.toThrow(/not a name/);
    await expect(lsp.request("textDocument/rename", { textDocument: { uri }, position: demos, newName: "test" })).rejects.toThrow(/already declared/);
    expect(lsp.running).toBe(true);
    expect(await lsp.shutdown()).toBe(0);
  });

  it("finds an import's alias at its `use` and in every `alias.member`, and renames them all so the recipe still checks", async () => {
    const lsp = await started();
    const uri = fileUri(FLAGSHIP);
    lsp.open(uri, flagshipText);
    await lsp.diagnostics(uri);
    const member = positionOf(flagshipText, "arith", flagshipText.indexOf("arith.problems"));
    const references = await lsp.request<{ uri: string; range: Range }[]>("textDocument/references", {
      textDocument: { uri },
      position: member,
      context: { includeDeclaration: true },
    });
    // The alias after `as`, then each `arith.`; not the module path "std/arith" nor the recipe's name.
    const alias = positionOf(flagshipText, "arith", flagshipText.indexOf(" as arith"));
    const uses = wordRanges(flagshipText, "arith").filter((r) => flagshipText.split("\n")[r.start.line]![r.end.character] === ".");
    expect(references).toEqual([{ start: alias, end: { ...alias, character: alias.character + 5 } }, ...uses].map((range) => ({ uri, range })));
    expect(uses.length).toBeGreaterThan(3);

    const edit = await lsp.request<{ changes: Record<string, Edit[]> }>("textDocument/rename", { textDocument: { uri }, position: alias, newName: "tasks" });
    const renamed = applyEdits(flagshipText, edit.changes[uri]!);
    expect(renamed).toBe(flagshipText.replace(" as arith\n", " as tasks\n").replace(/\barith\./g, "tasks."));
    expect((await checkRecipe(path.join(REPO_ROOT, FLAGSHIP), renamed)).diagnostics).toEqual([]);
    expect(await lsp.shutdown()).toBe(0);
  });

  it("finds every field setting the same parameter of the same built-in, and refuses to rename a field", async () => {
    const lsp = await started();
    const uri = fileUri(FLAGSHIP);
    lsp.open(uri, flagshipText);
    await lsp.diagnostics(uri);
    const lr = positionOf(flagshipText, "lr =");
    const references = await lsp.request<{ uri: string; range: Range }[]>("textDocument/references", {
      textDocument: { uri },
      position: lr,
      context: { includeDeclaration: true },
    });
    // Both optimizers are `adam`: each of their `lr`s, and no other.
    expect(references).toEqual(wordRanges(flagshipText, "lr").map((range) => ({ uri, range })));
    expect(references.length).toBe(2);
    await expect(lsp.request("textDocument/prepareRename", { textDocument: { uri }, position: lr })).rejects.toThrow(/field the language defines/);
    await expect(lsp.request("textDocument/rename", { textDocument: { uri }, position: lr, newName: "rate" })).rejects.toThrow(/field the language defines/);
    expect(lsp.running).toBe(true);
    expect(await lsp.shutdown()).toBe(0);
  });

  it("renames a module's declaration in the module and in the open recipe importing it", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "roux-lsp-rename-"));
    const sft = readFileSync(path.join(REPO_ROOT, "recipes/arith/sft.recipe"), "utf8");
    const main = sft.replace('use "std/arith" as arith\n', 'use "std/arith" as arith\nuse "./lib.recipe" as lib\n').replace("batch = 32", "batch = lib.batch");
    const lib = "let batch = 32\nlet twice = 2 * batch\n";
    writeFileSync(path.join(dir, "main.recipe"), main);
    writeFileSync(path.join(dir, "lib.recipe"), lib);
    const [mainUri, libUri] = ["main.recipe", "lib.recipe"].map((f) => fileUri(path.join(dir, f))) as [string, string];
    const lsp = await started(dir);
    lsp.open(mainUri, main);
    expect((await lsp.diagnostics(mainUri)).diagnostics).toEqual([]);

    // Asked from the importer, about a module that is not open: the module's own uses count too.
    const member = positionOf(main, "batch", main.indexOf("lib.batch"));
    const references = await lsp.request<{ uri: string; range: Range }[]>("textDocument/references", {
      textDocument: { uri: mainUri },
      position: member,
      context: { includeDeclaration: true },
    });
    expect(references).toEqual([
      ...wordRanges(lib, "batch").map((range) => ({ uri: libUri, range })),
      { uri: mainUri, range: { start: member, end: { ...member, character: member.character + 5 } } },
    ]);
    const edit = await lsp.request<{ changes: Record<string, Edit[]> }>("textDocument/rename", {
      textDocument: { uri: mainUri },
      position: member,
      newName: "rows",
    });
    expect(applyEdits(lib, edit.changes[libUri]!)).toBe("let rows = 32\nlet twice = 2 * rows\n");
    expect(applyEdits(main, edit.changes[mainUri]!)).toBe(main.replace("lib.batch", "lib.rows"));
    expect(await lsp.shutdown()).toBe(0);
  });
});
