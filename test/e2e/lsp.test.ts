/**
 * `roux lsp` as an editor drives it: the built binary started as a process, JSON-RPC over its
 * stdin and stdout with Content-Length framing (lsp/testing.ts), on the recipes of recipes/.
 * The build (`npm run build`) must be current.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkRecipe } from "../../compiler/check-recipe.js";
import { explainHref } from "../../lsp/diagnostics.js";
import { fileUri, LspClient, positionOf } from "../../lsp/testing.js";
import { typeListing } from "../../cli/type-listing.js";
import { mulberry32 } from "../../runtime/ops/rng.js";
import { mutate } from "../mutate.js";
import { recipeFiles, REPO_ROOT } from "../recipes.js";

const FLAGSHIP = "recipes/arith/flagship.recipe";
const flagshipText = readFileSync(path.join(REPO_ROOT, FLAGSHIP), "utf8");

const clients: LspClient[] = [];
function client(cwd?: string): LspClient {
  const c = new LspClient(cwd);
  clients.push(c);
  return c;
}
afterEach(() => {
  for (const c of clients.splice(0)) c.kill();
});

type HoverResult = { contents: { kind: string; value: string } } | null;

describe("roux lsp (over stdio)", () => {
  it("initializes, checks an opened recipe clean, answers hover, definition, symbols, formatting and completion, and exits 0 after shutdown", async () => {
    const lsp = client();
    const init = await lsp.initialize();
    expect(init.capabilities).toMatchObject({ hoverProvider: true, definitionProvider: true, documentFormattingProvider: true });
    const uri = fileUri(FLAGSHIP);
    lsp.open(uri, flagshipText);
    expect((await lsp.diagnostics(uri)).diagnostics).toEqual([]);

    // Hover on each declaration's name shows what `roux check --types` prints for it.
    const program = await checkRecipe(path.join(REPO_ROOT, FLAGSHIP), flagshipText);
    const listed = typeListing(program).trimEnd().split("\n");
    expect(listed.length).toBeGreaterThan(5);
    for (const line of listed) {
      const [, kind, name, shown] = /^(\w+)\s+(\w+)\s+: (.*)$/.exec(line)!;
      const at = positionOf(flagshipText, `${kind} ${name} `);
      const hover = await lsp.request<HoverResult>("textDocument/hover", {
        textDocument: { uri },
        position: { ...at, character: at.character + kind!.length + 2 },
      });
      expect(hover?.contents.value).toContain(`${kind} ${name} : ${shown}`);
    }

    // A built-in: its signature and the doc from the built-ins table.
    const adam = await lsp.request<HoverResult>("textDocument/hover", { textDocument: { uri }, position: positionOf(flagshipText, "adam {") });
    expect(adam?.contents.value).toMatch(/^```roux\nadam\b.*-> Optimizer\n```/);

    // A use of `demos` goes to its declaration; `grpo` to the preset in std/presets.
    const use = positionOf(flagshipText, "demos", flagshipText.indexOf("stage warmup"));
    const demos = await lsp.request<{ uri: string; range: { start: unknown } }>("textDocument/definition", { textDocument: { uri }, position: use });
    expect(demos).toEqual({ uri, range: { start: positionOf(flagshipText, "demos ="), end: { ...positionOf(flagshipText, "demos ="), character: 10 } } });
    const grpo = await lsp.request<{ uri: string; range: { start: { line: number } } }>("textDocument/definition", {
      textDocument: { uri },
      position: positionOf(flagshipText, "grpo with"),
    });
    expect(grpo.uri).toBe(fileUri("recipes/std/presets.recipe"));
    const presets = readFileSync(path.join(REPO_ROOT, "recipes/std/presets.recipe"), "utf8");
    expect(presets.split("\n")[grpo.range.start.line]).toMatch(/\bgrpo\b/);

    const symbols = await lsp.request<{ name: string }[]>("textDocument/documentSymbol", { textDocument: { uri } });
    expect(symbols.map((s) => s.name)).toEqual(["arith", ...listed.map((l) => l.split(/\s+/)[1]), "run"]);

    // Semantic tokens: five numbers a token, one token at least for each declaration's name.
    expect(init.capabilities).toMatchObject({ semanticTokensProvider: { full: true } });
    const tokens = await lsp.request<{ data: number[] }>("textDocument/semanticTokens/full", { textDocument: { uri } });
    expect(tokens.data.length % 5).toBe(0);
    expect(tokens.data.length / 5).toBeGreaterThan(listed.length);

    // Formatting: the formatted recipe needs no edit; a mangled layout gets `roux fmt`'s back.
    const options = { tabSize: 2, insertSpaces: true };
    expect(await lsp.request("textDocument/formatting", { textDocument: { uri }, options })).toEqual([]);
    lsp.change(uri, 2, flagshipText.replace("  layers = 2\n", "     layers    =    2\n"));
    const edits = await lsp.request<{ newText: string }[]>("textDocument/formatting", { textDocument: { uri }, options });
    expect(edits.map((e) => e.newText)).toEqual([flagshipText]);

    // Completion on text that does not parse yet: a module's members after `arith.`, a block's missing fields.
    const typing = `${flagshipText}\ndata more = arith.`;
    lsp.change(uri, 3, typing);
    const end = positionOf(typing, "arith.", typing.lastIndexOf("arith."));
    const members = await lsp.request<{ label: string }[]>("textDocument/completion", {
      textDocument: { uri },
      position: { ...end, character: end.character + 6 },
    });
    expect(members.map((m) => m.label)).toEqual(expect.arrayContaining(["problems", "solutions", "answer_match", "tokenizer"]));
    const fields = await lsp.request<{ label: string; detail: string }[]>("textDocument/completion", {
      textDocument: { uri },
      position: positionOf(typing, "layers = 2"),
    });
    expect(fields.map((f) => f.label)).toEqual(["dropout"]);

    expect(await lsp.shutdown()).toBe(0);
  });

  it("reports an error typed into the document with its code, link and range (UTF-16 columns), and clears it when undone", async () => {
    const lsp = client();
    await lsp.initialize();
    const uri = fileUri(FLAGSHIP);
    lsp.open(uri, flagshipText);
    await lsp.diagnostics(uri);
    // An astral character before the mistake on its line: two UTF-16 code units, one code point.
    const at = positionOf(flagshipText, "32\n  optimizer");
    lsp.change(uri, 2, '/* 🦀 */ "32"', { start: at, end: { ...at, character: at.character + 2 } });
    const published = await lsp.diagnostics(uri, (p) => p.version === 2);
    const [error, ...others] = published.diagnostics;
    expect(others).toEqual([]);
    expect(error).toMatchObject({
      code: "E2101",
      severity: 1,
      codeDescription: { href: explainHref("E2101") },
      range: { start: { line: at.line, character: at.character + 9 }, end: { line: at.line, character: at.character + 13 } },
    });
    expect(error!.message).toMatch(/^expected Int, found String/);
    lsp.change(uri, 3, flagshipText);
    expect((await lsp.diagnostics(uri, (p) => p.version === 3)).diagnostics).toEqual([]);
    expect(await lsp.shutdown()).toBe(0);
  });

  it("checks an importing document against the unsaved text of the module it imports", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "roux-lsp-"));
    const sft = readFileSync(path.join(REPO_ROOT, "recipes/arith/sft.recipe"), "utf8");
    const main = sft.replace('use "std/arith" as arith\n', 'use "std/arith" as arith\nuse "./lib.recipe" as lib\n').replace("batch = 32", "batch = lib.batch");
    writeFileSync(path.join(dir, "main.recipe"), main);
    writeFileSync(path.join(dir, "lib.recipe"), "let batch = 32\n");
    const [mainUri, libUri] = [path.join(dir, "main.recipe"), path.join(dir, "lib.recipe")].map((f) => fileUri(f));
    const lsp = client(dir);
    await lsp.initialize();
    lsp.open(mainUri!, main);
    expect((await lsp.diagnostics(mainUri!)).diagnostics).toEqual([]);
    lsp.open(libUri!, "let batch = 32\n");
    await lsp.diagnostics(libUri!);

    // Not saved: the file on disk still says 32.
    lsp.change(libUri!, 2, 'let batch = "many"\n');
    const typed = await lsp.diagnostics(mainUri!, (p) => p.diagnostics.length > 0);
    expect(typed.diagnostics).toMatchObject([{ code: "E2101", range: { start: positionOf(main, "lib.batch") } }]);
    const member = positionOf(main, "batch", main.indexOf("lib.batch"));
    const hover = await lsp.request<HoverResult>("textDocument/hover", { textDocument: { uri: mainUri }, position: member });
    expect(hover?.contents.value).toBe('```roux\nlet batch : String = "many"\n```\n\nfrom `./lib.recipe`');
    const definition = await lsp.request("textDocument/definition", { textDocument: { uri: mainUri }, position: member });
    expect(definition).toEqual({ uri: libUri, range: { start: { line: 0, character: 4 }, end: { line: 0, character: 9 } } });

    // A syntax error inside the module is shown at the `use` that imports it, pointing into the module.
    lsp.change(libUri!, 3, "let batch = \n");
    const broken = await lsp.diagnostics(mainUri!, (p) => p.diagnostics.some((d) => d.code === "E0001"));
    expect(broken.diagnostics).toMatchObject([
      { code: "E0001", range: { start: positionOf(main, '"./lib.recipe"') }, relatedInformation: [{ location: { uri: libUri } }] },
    ]);
    expect(broken.diagnostics[0]!.message).toMatch(/^in \.\/lib\.recipe: /);

    // Closing the module without saving: the importer reads the file on disk again.
    lsp.notify("textDocument/didClose", { textDocument: { uri: libUri } });
    expect((await lsp.diagnostics(mainUri!, (p) => p.diagnostics.length === 0)).diagnostics).toEqual([]);
    expect(readFileSync(path.join(dir, "lib.recipe"), "utf8")).toBe("let batch = 32\n");
    expect(await lsp.shutdown()).toBe(0);
  });

  it("shows a sweep's mistakes as `roux check` does: an unknown variant recipe, cleared when the recipe is opened, then a misspelled setting", async () => {
    // The sweep and the recipe are unsaved documents: neither is on disk.
    const sweep = path.join(REPO_ROOT, "test/e2e/recipes/draft.sweep");
    const [sweepUri, recipeUri] = [sweep, path.join(REPO_ROOT, "test/e2e/recipes/draft.recipe")].map((f) => fileUri(f));
    const text = 'sweep draft\nvariants { a = "./draft.recipe" }\n';
    const lsp = client();
    await lsp.initialize();
    lsp.open(sweepUri!, text);
    const missing = await lsp.diagnostics(sweepUri!);
    expect(missing.diagnostics).toMatchObject([{ code: "E3504", range: { start: positionOf(text, '"./draft.recipe"') } }]);
    expect(missing.diagnostics[0]!.message).toMatch(/^variant `a` names a recipe that cannot be read\ncannot read .*draft\.recipe: no such file or directory/);

    lsp.open(recipeUri!, readFileSync(path.join(REPO_ROOT, "test/e2e/recipes/sft.recipe"), "utf8"));
    expect((await lsp.diagnostics(sweepUri!, (p) => p.diagnostics.length === 0)).diagnostics).toEqual([]);

    const misspelled = 'sweep draft\nvariants { a = "./draft.recipe" with { run.sed = 2 } }\n';
    lsp.change(sweepUri!, 2, misspelled);
    const published = await lsp.diagnostics(sweepUri!, (p) => p.version === 2);
    expect(published.diagnostics).toMatchObject([{ code: "E2102", range: { start: positionOf(misspelled, "sed") } }]);
    expect(published.diagnostics[0]!.message).toContain("note: in sweep point `a`");
    expect(await lsp.shutdown()).toBe(0);
  });

  it("asks the editor to watch recipe files and checks an importer again when a module it does not have open changes on disk", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "roux-lsp-"));
    const main = 'use "./lib.recipe" as lib\nlet size : Int = lib.batch\n';
    writeFileSync(path.join(dir, "main.recipe"), main);
    writeFileSync(path.join(dir, "lib.recipe"), "let batch = 32\n");
    const mainUri = fileUri(path.join(dir, "main.recipe"));
    const lsp = client(dir);
    await lsp.initialize({ workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } });
    const registration = await lsp.notification<{ registrations: { method: string; registerOptions: unknown }[] }>("client/registerCapability");
    expect(registration.registrations).toEqual([
      { id: expect.any(String), method: "workspace/didChangeWatchedFiles", registerOptions: { watchers: [{ globPattern: "**/*.recipe" }] } },
    ]);
    lsp.open(mainUri, main);
    expect((await lsp.diagnostics(mainUri)).diagnostics).toEqual([]);
    // Saved by another program: the editor's watcher reports it (2 = changed).
    writeFileSync(path.join(dir, "lib.recipe"), 'let batch = "many"\n');
    lsp.notify("workspace/didChangeWatchedFiles", { changes: [{ uri: fileUri(path.join(dir, "lib.recipe")), type: 2 }] });
    const stale = await lsp.diagnostics(mainUri, (p) => p.diagnostics.length > 0);
    expect(stale.diagnostics).toMatchObject([{ code: "E2101", range: { start: positionOf(main, "lib.batch") } }]);
    expect(await lsp.shutdown()).toBe(0);
  });

  it("survives hostile text: after each garbage edit it answers hover, definition, completion, references, code actions, semantic tokens, symbols and formatting, and never exits", async () => {
    const random = mulberry32(20261207);
    const recipes = recipeFiles();
    const texts = [
      "",
      "(".repeat(400),
      `let x = ${"(".repeat(300)}1${")".repeat(300)}`,
      `stage s = sft ${"{ a = ".repeat(300)}1${" }".repeat(300)}`,
      `let sum = ${Array.from({ length: 20_000 }, () => "1").join(" + ")}`,
      `let chain = x${" |> f".repeat(5_000)}`,
      String.fromCharCode(...Array.from({ length: 4_000 }, () => Math.floor(random() * 0x3000))),
      "\ud800\udfff\uffff\u0000 \r\r\n \u2028 emoji 🦀 \ud83e",
      ...recipes.slice(0, 12).map(({ source }) => source.slice(0, Math.floor(random() * source.length))),
      ...recipes.slice(0, 12).map(({ source }) => mutate(source, random)),
    ];
    const lsp = client();
    await lsp.initialize();
    const uri = fileUri("recipes/arith/garbage.recipe");
    lsp.open(uri, flagshipText);
    let version = 1;
    for (const text of texts) {
      lsp.change(uri, ++version, text);
      for (const position of [
        { line: 0, character: 0 },
        { line: 0, character: 9 },
        { line: 3, character: 4 },
        { line: 10_000, character: 10_000 },
      ]) {
        await lsp.request("textDocument/hover", { textDocument: { uri }, position });
        await lsp.request("textDocument/definition", { textDocument: { uri }, position });
        await lsp.request("textDocument/completion", { textDocument: { uri }, position });
        await lsp.request("textDocument/references", { textDocument: { uri }, position, context: { includeDeclaration: true } });
        await lsp.request("textDocument/codeAction", { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [] } });
      }
      await lsp.request("textDocument/semanticTokens/full", { textDocument: { uri } });
      await lsp.request("textDocument/documentSymbol", { textDocument: { uri } });
      await lsp.request("textDocument/formatting", { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
      expect(lsp.running, `after ${JSON.stringify(text.slice(0, 80))}\n${lsp.stderr}`).toBe(true);
    }
    // Requests about a document that is not open, and a message that is not JSON, are answered or ignored.
    expect(await lsp.request("textDocument/hover", { textDocument: { uri: fileUri("nowhere.recipe") }, position: { line: 0, character: 0 } })).toBeNull();
    lsp.writeRaw("Content-Length: 7\r\n\r\n{oops!}");
    lsp.change(uri, ++version, flagshipText);
    const hover = await lsp.request<HoverResult>("textDocument/hover", { textDocument: { uri }, position: positionOf(flagshipText, "policy") });
    expect(hover?.contents.value).toContain("model policy : Model");
    expect(await lsp.shutdown()).toBe(0);
  });
});
