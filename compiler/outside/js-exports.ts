/**
 * Lists the names a JS or TS module exports, so `roux check` can report a `js(path, export)`
 * reward whose module or export does not exist (E3302). Checking a recipe must never run the
 * user's code, so the module is lexed, not imported: es-module-lexer for ES modules,
 * cjs-module-lexer (what Node itself uses to name a CommonJS module's exports for `import`) for
 * CommonJS, and TypeScript is first stripped of its types by amaro, Node's own type stripper,
 * which also finds its syntax errors. The lexers find the errors that break their lexing
 * (unterminated strings, unbalanced brackets), not every JavaScript syntax error.
 */
import { extname } from "node:path";
import { transformSync } from "amaro";
import { init as initCjsLexer, parse as lexCjs } from "cjs-module-lexer";
import { init as initEsmLexer, parse as lexEsm } from "es-module-lexer";
import { invalid, withFile, type OutsideFailure } from "./failure.js";
import { MODULE_EXTENSIONS } from "./module-extensions.js";

export interface ModuleExports {
  readonly ok: true;
  readonly path: string;
  readonly format: "esm" | "commonjs";
  /**
   * The names `import` can take, `"default"` included when there is a default export; a
   * CommonJS module always has one (its `module.exports`).
   */
  readonly names: readonly string[];
  /**
   * Modules whose exports this one passes on without naming them (`export * from "..."`,
   * `module.exports = require("...")`), as written. When not empty, the module may export more
   * names than `names`.
   */
  readonly reexportsFrom: readonly string[];
  /**
   * The specifiers the module loads, as written: static imports and re-exports, dynamic
   * `import("...")` of a string literal, and `require("...")` of one. An import whose specifier
   * is computed (`import(name)`) cannot be known without running the code and is not listed.
   * `require` is found by its text, as cjs-module-lexer does not report it.
   */
  readonly imports: readonly string[];
}

type Lexed = Omit<ModuleExports, "ok" | "path">;

export async function listModuleExports(path: string): Promise<ModuleExports | OutsideFailure> {
  const extension = extname(path);
  const kind = MODULE_EXTENSIONS.get(extension);
  if (!kind) {
    const known = [...MODULE_EXTENSIONS.keys()].join(", ");
    return invalid(path, `"${extension}" is not a module extension; a reward module ends in one of ${known}`);
  }
  const text = await withFile(path, (handle) => handle.readFile("utf8"));
  if (typeof text !== "string") return text;
  // Node ignores a BOM at the start of a module; the lexers would miss the first export.
  const source = text.replace(/^\uFEFF/, "");
  const code = kind.typescript ? stripTypes(path, source) : source;
  if (typeof code !== "string") return code;
  await Promise.all([initEsmLexer(), initCjsLexer()]);
  const lexed = syntaxChecked(path, code, () => {
    if (kind.format === "commonjs") return commonJsExports(code);
    const esm = esModuleExports(code);
    return kind.format === "detect" && !esm.hasModuleSyntax ? commonJsExports(code) : esm.exports;
  });
  return "ok" in lexed ? lexed : { ok: true, path, ...lexed };
}

function esModuleExports(code: string): { exports: Lexed; hasModuleSyntax: boolean } {
  const [imports, exports, , hasModuleSyntax] = lexEsm(code);
  // A computed `import(...)` has no specifier, or a glob standing for many; `import.meta` loads nothing.
  const loaded = imports.flatMap((entry) => (typeof entry.specifier === "string" && !("glob" in entry && entry.glob) ? [entry.specifier] : []));
  const names: string[] = [];
  const reexportsFrom: string[] = [];
  for (const entry of exports) {
    if (entry.type === "reexport-all") reexportsFrom.push(entry.from);
    else names.push(entry.name);
  }
  return { exports: { format: "esm", names, reexportsFrom, imports: [...loaded, ...required(code)] }, hasModuleSyntax };
}

function commonJsExports(code: string): Lexed {
  const { exports, reexports } = lexCjs(code);
  // `__esModule` is a transpiler's marker, not a name anyone imports.
  const names = new Set([...exports.filter((name) => name !== "__esModule"), "default"]);
  return { format: "commonjs", names: [...names], reexportsFrom: reexports, imports: required(code) };
}

/** The string literals `require(...)` is called with. */
function required(code: string): string[] {
  return [...code.matchAll(/(?<![\w$.])require\s*\(\s*(["'`])([^"'`\\\n]+)\1\s*\)/g)].map((match) => match[2]!);
}

/** Runs a lexer; the errors it throws carry the offset where lexing stopped. */
function syntaxChecked(path: string, code: string, lex: () => Lexed): Lexed | OutsideFailure {
  try {
    return lex();
  } catch (error) {
    const offset = (error as { idx?: unknown } | undefined)?.idx;
    if (!(error instanceof Error) || typeof offset !== "number") throw error;
    return invalid(path, "syntax error", code.slice(0, offset).split("\n").length);
  }
}

function stripTypes(path: string, source: string): string | OutsideFailure {
  try {
    return transformSync(source, { mode: "strip-only" }).code;
  } catch (thrown) {
    return typeScriptFailure(path, thrown instanceof Error ? thrown.message : String(thrown));
  }
}

/**
 * amaro reports an error as SWC's rendered report: the first line is `  x MESSAGE`, then a
 * source snippet whose header `,-[LINE:COLUMN]` locates it. A snippet of a very short file has
 * no header; there the numbered source line just above the `:  ^^^` marker is the one.
 */
function typeScriptFailure(path: string, report: string): OutsideFailure {
  const lines = report.split("\n");
  const [first = ""] = lines;
  const message = first.replace(/^\s*x\s+/, "").trim();
  return invalid(path, `syntax error: ${message}`, reportLine(report, lines));
}

function reportLine(report: string, lines: readonly string[]): number | undefined {
  const header = /,-\[(\d+):\d+\]/.exec(report);
  if (header) return Number(header[1]);
  let numbered: number | undefined;
  for (const text of lines) {
    const source = /^\s*(\d+) \|/.exec(text);
    if (source) numbered = Number(source[1]);
    else if (/^\s+:/.test(text)) return numbered;
  }
  return undefined;
}
