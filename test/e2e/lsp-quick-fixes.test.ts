/**
 * `roux lsp` quick fixes over stdio (lsp/testing.ts): each golden recipe below has a diagnostic
 * whose help suggests a replacement; the server offers it as a code action, and the recipe with
 * the edit applied no longer has that diagnostic. The build (`npm run build`) must be current.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TextDocument } from "vscode-languageserver-textdocument";
import { checkRecipe } from "../../compiler/check-recipe.js";
import { fileUri, LspClient, type PublishedDiagnostics } from "../../lsp/testing.js";
import { REPO_ROOT } from "../recipes.js";

type Range = PublishedDiagnostics["diagnostics"][number]["range"];
interface CodeAction {
  title: string;
  kind: string;
  diagnostics: { code: string }[];
  edit: { changes: Record<string, { range: Range; newText: string }[]> };
}

const CASES: { file: string; code: string; message?: RegExp }[] = [
  { file: "test/golden/E1101/misspelt-declaration.recipe", code: "E1101" },
  { file: "test/golden/E1101/module-member.recipe", code: "E1101" },
  { file: "test/golden/E2102/unknown-field.recipe", code: "E2102" },
  { file: "test/golden/E0003/unit.recipe", code: "E0003", message: /is not a unit/ },
  { file: "test/golden/W0003/min-form-positive.recipe", code: "W0003" },
  { file: "test/golden/E3105/ref-not-run.recipe", code: "E3105" },
];

let lsp: LspClient | undefined;
afterEach(() => lsp?.kill());

describe("roux lsp quick fixes (over stdio)", () => {
  it("offers each suggested replacement as a quick fix that removes its diagnostic", async () => {
    lsp = new LspClient();
    const init = await lsp.initialize();
    expect(init.capabilities).toMatchObject({ codeActionProvider: { codeActionKinds: ["quickfix"] } });
    for (const { file, code, message = /./ } of CASES) {
      const uri = fileUri(file);
      const text = readFileSync(path.join(REPO_ROOT, file), "utf8");
      lsp.open(uri, text);
      const published = await lsp.diagnostics(uri);
      const diagnostic = published.diagnostics.find((d) => d.code === code && message.test(d.message));
      expect(diagnostic, file).toBeDefined();
      const actions = await lsp.request<CodeAction[]>("textDocument/codeAction", {
        textDocument: { uri },
        range: diagnostic!.range,
        context: { diagnostics: [diagnostic], only: ["quickfix"] },
      });
      const fix = actions.find((a) => a.diagnostics[0]?.code === code);
      expect(fix, `${file}: ${JSON.stringify(actions)}`).toMatchObject({ kind: "quickfix" });
      const edits = fix!.edit.changes[uri]!;
      const fixed = TextDocument.applyEdits(TextDocument.create(uri, "roux", 1, text), edits);
      const before = (await checkRecipe(path.join(REPO_ROOT, file), text)).diagnostics.filter((d) => d.code === code);
      const after = (await checkRecipe(path.join(REPO_ROOT, file), fixed)).diagnostics.filter((d) => d.code === code);
      expect(after.length, `${file} after ${fix!.title}:\n${fixed}`).toBe(before.length - 1);
      lsp.notify("textDocument/didClose", { textDocument: { uri } });
    }
    // No suggestion, no action: a clean recipe has none.
    const flagship = fileUri("recipes/arith/flagship.recipe");
    lsp.open(flagship, readFileSync(path.join(REPO_ROOT, "recipes/arith/flagship.recipe"), "utf8"));
    const whole = { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } };
    expect(await lsp.request("textDocument/codeAction", { textDocument: { uri: flagship }, range: whole, context: { diagnostics: [] } })).toEqual([]);
    expect(await lsp.shutdown()).toBe(0);
  });
});
