import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { ResponseError } from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import { sourceHash } from "../compiler/modules/registry-cache.js";
import { analyze } from "./analysis.js";
import { declarationAt } from "./references.js";
import { prepareRename, renameEdits } from "./rename.js";

describe("rename", () => {
  it("refuses a declaration of a pinned registry module, and renames the importer's own", async () => {
    const cache = mkdtempSync(path.join(tmpdir(), "roux-rename-cache-"));
    const lib = "let batch = 32\n";
    mkdirSync(path.join(cache, "registry", "alice", "lib"), { recursive: true });
    writeFileSync(path.join(cache, "registry", "alice", "lib", "1.0.0.recipe"), lib);
    const dir = mkdtempSync(path.join(tmpdir(), "roux-rename-"));
    const text = `use "registry:alice/lib@1.0.0" sha256 "${sourceHash(lib)}" as lib\nlet rows: Int = lib.batch\nlet twice = 2 * rows\n`;
    const document = TextDocument.create(pathToFileURL(path.join(dir, "main.recipe")).href, "roux", 1, text);
    const analysis = await analyze(document, { env: { ROUX_CACHE: cache }, open: () => undefined, openUri: () => undefined });
    expect(analysis.program?.diagnostics).toEqual([]);

    const member = declarationAt(analysis, text.indexOf("batch"));
    expect(member?.name).toBe("batch");
    expect(() => prepareRename([analysis], member, analysis)).toThrow(ResponseError);
    expect(() => renameEdits([analysis], member, "size")).toThrow(/pinned registry module/);

    const own = declarationAt(analysis, text.lastIndexOf("rows"));
    const edit = renameEdits([analysis], own, "count");
    const edited = TextDocument.applyEdits(document, edit?.changes?.[document.uri] ?? []);
    expect(edited).toBe(text.replace(/\brows\b/g, "count"));
  });
});
