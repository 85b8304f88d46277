/**
 * The code's shape: each top-level folder is a layer, and an import (a type-only one too, and a
 * dynamic `import()`) may only go down the table below; and no source file, test or not, runs
 * over 400 lines.
 *
 * Tests (`*.test.ts`, `*.test.tsx`) and test support (`testing.ts`) are exempt from the layers:
 * a test of the runtime may build its plan with the compiler, and a test of the plan layer may
 * lower a recipe to get one. They are not exempt from the length limit.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./recipes.js";

/** What each layer may import, besides itself; `typesOnly` layers may import only types from it. */
const LAYERS: Readonly<Record<string, { readonly may: readonly string[]; readonly typesOnly?: readonly string[] }>> = {
  diagnostics: { may: [] },
  grammar: { may: ["diagnostics"] },
  plan: { may: ["diagnostics"], typesOnly: ["grammar"] },
  compiler: { may: ["diagnostics", "grammar", "plan"] },
  runtime: { may: ["plan", "diagnostics"] },
  registry: { may: ["diagnostics", "grammar", "compiler", "plan"] },
  lsp: { may: ["diagnostics", "grammar", "compiler", "plan"] },
  tui: { may: ["runtime", "plan", "diagnostics"] },
};

/** Layers at the top, which may import anything. */
const TOP = ["cli", "bench", "lab", "test"];

const MAX_LINES = 400;

function sourceFiles(): string[] {
  return [...Object.keys(LAYERS), ...TOP].flatMap((folder) =>
    readdirSync(path.join(REPO_ROOT, folder), { recursive: true, encoding: "utf8" })
      .filter((name) => /\.tsx?$/.test(name) && !name.split(path.sep).includes("node_modules"))
      .map((name) => path.join(folder, name)),
  );
}

interface Import {
  specifier: string;
  typeOnly: boolean;
  line: number;
}

/** Static imports and re-exports at the start of a line, and dynamic `import("...")` anywhere. */
function importsOf(text: string): Import[] {
  const lineOf = (offset: number) => text.slice(0, offset).split("\n").length;
  const found: Import[] = [];
  for (const m of text.matchAll(/^[ \t]*(import|export)\s+(type\s+)?([^;"'`]*?)\bfrom\s*["']([^"']+)["']|^[ \t]*import\s+["']([^"']+)["']/gm)) {
    const bindings = m[3] ?? "";
    // `import { type A, type B } from` imports only types, as `import type { A, B }` does.
    const braced = /^\{([^}]*)\}\s*$/.exec(bindings.trim());
    const allTyped = braced !== null && braced[1]!.split(",").every((b) => b.trim() === "" || /^type\s/.test(b.trim()));
    found.push({ specifier: (m[4] ?? m[5])!, typeOnly: m[2] !== undefined || allTyped, line: lineOf(m.index) });
  }
  for (const m of text.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g)) found.push({ specifier: m[1]!, typeOnly: false, line: lineOf(m.index) });
  return found;
}

function exempt(file: string): boolean {
  const name = path.basename(file);
  return /\.test\.tsx?$/.test(name) || name === "testing.ts";
}

function layerOf(file: string): string {
  return file.split(path.sep)[0]!;
}

describe("the layers", () => {
  it("are imported only downwards: diagnostics <- grammar <- plan <- compiler, runtime, registry <- tui <- cli", () => {
    const violations: string[] = [];
    for (const file of sourceFiles()) {
      const layer = layerOf(file);
      const rules = LAYERS[layer];
      if (rules === undefined || exempt(file)) continue;
      for (const { specifier, typeOnly, line } of importsOf(readFileSync(path.join(REPO_ROOT, file), "utf8"))) {
        if (!specifier.startsWith(".")) continue;
        const target = layerOf(path.relative(REPO_ROOT, path.resolve(REPO_ROOT, path.dirname(file), specifier)));
        if (target === layer || rules.may.includes(target) || (typeOnly && rules.typesOnly?.includes(target))) continue;
        violations.push(`${file}:${line} (${layer}) imports ${typeOnly ? "types from " : ""}${specifier} (${target})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it(`keep every source file, tests included, at ${MAX_LINES} lines or fewer`, () => {
    const long = sourceFiles().flatMap((file) => {
      const text = readFileSync(path.join(REPO_ROOT, file), "utf8");
      const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
      return lines > MAX_LINES ? [`${file}: ${lines} lines`] : [];
    });
    expect(long).toEqual([]);
  });
});

describe("importsOf", () => {
  it("finds static, re-exported, side-effect and dynamic imports, and which import only types", () => {
    const text = [
      'import { a } from "./a.js";',
      'import type { B } from "../b.js";',
      "import {",
      "  type C,",
      "  type D,",
      '} from "./cd.js";',
      'import { type E, f } from "./ef.js";',
      'export { g } from "./g.js";',
      'export type { H } from "./h.js";',
      'import "./side.js";',
      'const lazy = await import("./lazy.js");',
      '// a comment that says import x from "./not.js" is not an import',
    ].join("\n");
    expect(importsOf(text)).toEqual([
      { specifier: "./a.js", typeOnly: false, line: 1 },
      { specifier: "../b.js", typeOnly: true, line: 2 },
      { specifier: "./cd.js", typeOnly: true, line: 3 },
      { specifier: "./ef.js", typeOnly: false, line: 7 },
      { specifier: "./g.js", typeOnly: false, line: 8 },
      { specifier: "./h.js", typeOnly: true, line: 9 },
      { specifier: "./side.js", typeOnly: false, line: 10 },
      { specifier: "./lazy.js", typeOnly: false, line: 11 },
    ]);
  });
});
