/**
 * The VS Code extension (editors/vscode/): its manifest is one VS Code can load, names files
 * that exist (the grammar and language configuration from editors/, which its packaging step
 * copies in), and its entry starts `roux lsp` for the language the manifest declares.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./recipes.js";

const DIR = path.join(REPO_ROOT, "editors/vscode");
const read = (file: string) => readFileSync(path.join(DIR, file), "utf8");

interface Manifest {
  name: string;
  publisher: string;
  version: string;
  engines: { vscode: string };
  main: string;
  activationEvents: string[];
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
  contributes: {
    languages: { id: string; extensions: string[]; configuration: string }[];
    grammars: { language: string; scopeName: string; path: string }[];
  };
}
const manifest = JSON.parse(read("package.json")) as Manifest;

/** `^1.91.0` as [1, 91, 0]. */
function minimum(range: string): number[] {
  const match = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(range);
  if (match === null) throw new Error(`not a caret range: ${range}`);
  return match.slice(1).map(Number);
}

describe("editors/vscode", () => {
  it("has a manifest VS Code loads: identity, an engine the language client supports, an entry that exists", () => {
    expect(manifest.name).toMatch(/^[a-z0-9][a-z0-9-]*$/);
    expect(manifest.publisher).toMatch(/^[a-z0-9][a-z0-9-]*$/);
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(existsSync(path.join(DIR, manifest.main))).toBe(true);
    // The lock file records the engine the language client needs; the extension must ask for no older one.
    const lock = JSON.parse(read("package-lock.json")) as { packages: Record<string, { version?: string; engines?: { vscode?: string } }> };
    const client = lock.packages["node_modules/vscode-languageclient"];
    expect(client?.engines?.vscode).toBeDefined();
    const [wanted, needed] = [minimum(manifest.engines.vscode), minimum(client!.engines!.vscode!)];
    expect(wanted[0] === needed[0] && (wanted[1]! > needed[1]! || (wanted[1] === needed[1] && wanted[2]! >= needed[2]!))).toBe(true);
    expect(Object.keys(manifest.dependencies)).toEqual(["vscode-languageclient"]);
    expect(manifest.devDependencies).toHaveProperty("@vscode/vsce");
    expect(manifest.scripts.package).toMatch(/node assets\.mjs && vsce package/);
  });

  it("contributes the language and grammar of editors/, whose files the packaging step copies in", () => {
    const [language] = manifest.contributes.languages;
    expect(language).toMatchObject({ id: "roux", extensions: [".recipe", ".sweep"] });
    expect(manifest.activationEvents).toEqual([`onLanguage:${language!.id}`]);
    for (const grammar of manifest.contributes.grammars) {
      expect(grammar.language).toBe(language!.id);
      const source = JSON.parse(readFileSync(path.join(REPO_ROOT, "editors", grammar.path), "utf8")) as { scopeName: string };
      expect(source.scopeName).toBe(grammar.scopeName);
    }
    expect(existsSync(path.join(REPO_ROOT, "editors", language!.configuration))).toBe(true);
    // Copies, not sources: ignored in the extension's folder, so editors/ stays their one home.
    const ignored = read(".gitignore").split("\n");
    for (const file of [language!.configuration, ...manifest.contributes.grammars.map((g) => g.path)]) expect(ignored).toContain(path.basename(file));
  });

  it("starts `roux lsp` over stdio for the manifest's language", () => {
    const entry = read(manifest.main);
    expect(entry).toContain('require("vscode-languageclient/node")');
    expect(entry).toMatch(/args: \["lsp"\], transport: TransportKind\.stdio/);
    expect(entry).toContain(`language: "${manifest.contributes.languages[0]!.id}"`);
  });
});
