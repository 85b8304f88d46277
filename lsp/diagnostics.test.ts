import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { TextDocument } from "vscode-languageserver-textdocument";
import { CODES, type Code } from "../diagnostics/codes.js";
import { REPO_ROOT } from "../test/recipes.js";
import { runCli } from "../test/run-cli.js";
import { analyze } from "./analysis.js";
import { documentDiagnostics, explainHref } from "./diagnostics.js";

const DIR = path.join(REPO_ROOT, "lsp-test-files");

/** Checks `text` as the open document `main.recipe`, with `modules` as other open (unsaved, nowhere on disk) documents. */
async function diagnose(text: string, modules: Record<string, string> = {}) {
  const file = path.join(DIR, "main.recipe");
  const document = TextDocument.create(pathToFileURL(file).href, "roux", 1, text);
  const open = (f: string) => modules[path.relative(DIR, path.resolve(f))];
  return documentDiagnostics(await analyze(document, { env: {}, open, openUri: () => undefined }));
}

describe("the diagnostics an editor is sent", () => {
  it("count columns in UTF-16 code units and take CRLF line ends as the editor does", async () => {
    const [unknown] = await diagnose("// 🦀🦀\r\nlet a = /* 🦀 */ nope\r\n");
    expect(unknown).toMatchObject({ code: "E1101", range: { start: { line: 1, character: 17 }, end: { line: 1, character: 21 } } });
  });

  it("keep the code, link it to its explanation, and give secondary spans as related locations", async () => {
    const [duplicate] = await diagnose("let a = 1\nlet a = 2\n");
    const uri = pathToFileURL(path.join(DIR, "main.recipe")).href;
    expect(duplicate).toMatchObject({
      code: "E1104",
      severity: 1,
      source: "roux",
      codeDescription: { href: explainHref("E1104") },
      range: { start: { line: 1, character: 4 }, end: { line: 1, character: 5 } },
      relatedInformation: [{ location: { uri, range: { start: { line: 0, character: 4 } } }, message: "first declared here" }],
    });
    expect(String(duplicate!.message).split("\n")).toEqual(["`a` is declared twice", "declared again here", "help: give one of them another name"]);
  });

  it("link every code to a heading docs/errors.md has", () => {
    const headings = new Set(readFileSync(path.join(REPO_ROOT, "docs/errors.md"), "utf8").match(/^## [EW]\d{4}: .*$/gm));
    for (const code of Object.keys(CODES) as Code[]) {
      expect(headings).toContain(`## ${code}: ${CODES[code].summary}`);
      expect(explainHref(code)).toMatch(new RegExp(`/docs/errors\\.md#${code.toLowerCase()}-[a-z0-9_-]+$`));
    }
    expect(explainHref("E2101").endsWith("#e2101-type-mismatch")).toBe(true);
  });

  it("show a mistake inside an imported module (even one imported through another) at the `use` that imports it", async () => {
    const main = 'use "./a.recipe" as a\nlet x = a.y\n';
    const shown = await diagnose(main, { "a.recipe": 'use "./b.recipe" as b\nlet y = b.z\n', "b.recipe": "let z = )\n" });
    expect(shown).toMatchObject([
      {
        code: "E0001",
        range: { start: { line: 0, character: 4 }, end: { line: 0, character: 16 } },
        relatedInformation: [{ location: { uri: pathToFileURL(path.join(DIR, "b.recipe")).href, range: { start: { line: 0, character: 8 } } } }],
      },
    ]);
    expect(shown[0]!.message).toMatch(/^in \.\/a\.recipe: expected/);
  });

  it("show a sweep's diagnostics exactly as `roux check` reports them, each inside a variant's recipe at that variant", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "roux-lsp-sweep-"));
    // Copied without its dataset: the recipe has a mistake of its own (E3201), beside the sweep's.
    copyFileSync(path.join(REPO_ROOT, "test/e2e/recipes/rl.recipe"), path.join(dir, "rl.recipe"));
    const file = path.join(dir, "broken.sweep");
    const text = 'sweep broken\nvariants {\n  a = "./nope.recipe"\n  b = "./rl.recipe" with { rl.contrl = shuffled_advantages }\n}\n';
    writeFileSync(file, text);
    const checked = await runCli(["check", "--format", "json", file]);
    expect(checked.status).toBe(1);
    type Reported = {
      code: string;
      file: string;
      line: number;
      column: number;
      endLine: number;
      endColumn: number;
      message: string;
      label: string | null;
      notes: string[];
      help: string | null;
    };
    const reported = (JSON.parse(checked.stdout) as { diagnostics: Reported[] }).diagnostics;
    expect(reported.map((d) => d.code).sort()).toEqual(["E2102", "E3201", "E3504"]);
    const expected = reported.map((d) => ({
      code: d.code,
      uri: pathToFileURL(d.file).href,
      range: { start: { line: d.line - 1, character: d.column - 1 }, end: { line: d.endLine - 1, character: d.endColumn - 1 } },
      message: [d.message, ...(d.label ? [d.label] : []), ...d.notes.map((n) => `note: ${n}`), ...(d.help ? [`help: ${d.help}`] : [])].join("\n"),
    }));

    const document = TextDocument.create(pathToFileURL(file).href, "roux", 1, text);
    const shown = documentDiagnostics(await analyze(document, { env: {}, open: () => undefined, openUri: () => undefined }));
    const located = shown.map((d) => {
      const inRecipe = /^in variant `b`: /.exec(d.message as string);
      if (inRecipe === null) return { code: d.code, uri: document.uri, range: d.range, message: d.message };
      // Shown on variant b's line, where the recipe is named, and pointing into the recipe.
      expect(d.range.start.line).toBe(3);
      return { code: d.code, ...d.relatedInformation![0]!.location, message: (d.message as string).slice(inRecipe[0].length) };
    });
    expect(located).toEqual(expected);
  });
});
