/**
 * Module customization hooks that let a js(...) reward's worker import TypeScript (Node 20 cannot):
 * a `.ts`, `.mts` or `.cts` file is read and its types stripped by amaro (`strip-only`, the
 * stripper Node itself uses, which keeps every line and column where it was, so stack traces
 * point into the user's file). js-worker-entry.ts registers them with `module.register` before
 * it imports a TypeScript module.
 *
 * - Format: `.mts` is an ES module, `.cts` CommonJS, and `.ts` an ES module when it uses ES
 *   module syntax and CommonJS otherwise (the rule compiler/outside/js-exports.ts checks with).
 * - Imports between files work as for JavaScript, plus the TypeScript convention of naming a
 *   `.ts` file by its `.js` name (`import "./util.js"` finds `util.ts` when `util.js` does not
 *   exist).
 * - Limits: TypeScript that needs a transform rather than stripping (enums, namespaces,
 *   parameter properties) fails to load with amaro's message; a CommonJS `require` of another
 *   TypeScript file is not supported (Node's require does not go through these hooks).
 *
 * Like the worker entry, this file imports only `node:` modules (it may run from a data: URL):
 * amaro's location comes in `initialize`'s data.
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { InitializeHook, LoadHook, ResolveHook } from "node:module";
import { Script } from "node:vm";

type Strip = (source: string, options: { mode: "strip-only" }) => { code: string };

let strip: Strip | undefined;

export const initialize: InitializeHook<{ amaroUrl: string }> = async (data) => {
  const amaro = (await import(data.amaroUrl)) as { transformSync?: Strip; default?: { transformSync: Strip } };
  strip = amaro.transformSync ?? amaro.default?.transformSync;
};

const TYPESCRIPT = /\.([mc]?)ts$/;
const JS_TO_TS: ReadonlyMap<string, string> = new Map([
  [".js", ".ts"],
  [".mjs", ".mts"],
  [".cjs", ".cts"],
]);

export const resolve: ResolveHook = async (specifier, context, nextResolve) => {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const parent = context.parentURL;
    const extension = /\.[mc]?js$/.exec(specifier)?.[0];
    const relative = specifier.startsWith("./") || specifier.startsWith("../");
    if (!relative || extension === undefined || parent === undefined || !TYPESCRIPT.test(parent)) throw error;
    if ((error as { code?: unknown }).code !== "ERR_MODULE_NOT_FOUND") throw error;
    try {
      return await nextResolve(specifier.slice(0, -extension.length) + JS_TO_TS.get(extension), context);
    } catch {
      throw error;
    }
  }
};

export const load: LoadHook = async (url, context, nextLoad) => {
  const typescript = url.startsWith("file:") ? TYPESCRIPT.exec(new URL(url).pathname) : null;
  if (typescript === null) return nextLoad(url, context);
  const source = (await readFile(new URL(url), "utf8")).replace(/^\uFEFF/, "");
  const code = stripTypes(url, source);
  const format = typescript[1] === "m" ? "module" : typescript[1] === "c" ? "commonjs" : hasModuleSyntax(code) ? "module" : "commonjs";
  return { format, source: code, shortCircuit: true };
};

function stripTypes(url: string, source: string): string {
  if (strip === undefined) throw new Error("the TypeScript hooks were not initialized with amaro's location");
  try {
    return strip(source, { mode: "strip-only" }).code;
  } catch (report) {
    // amaro throws SWC's rendered report: `  x MESSAGE`, then a snippet whose header is `,-[LINE:COLUMN]`.
    const text = String(report);
    const [first = ""] = text.split("\n");
    const message = first.replace(/^\s*x\s+/, "").trim();
    const where = /,-\[(\d+):(\d+)\]/.exec(text);
    const file = basename(decodeURIComponent(new URL(url).pathname));
    throw new SyntaxError(`TypeScript in ${file}${where ? `:${where[1]}:${where[2]}` : ""}: ${message}`);
  }
}

/** Whether the code must be an ES module: it does not compile as the body of a CommonJS wrapper. */
function hasModuleSyntax(code: string): boolean {
  try {
    new Script(`(function (exports, require, module, __filename, __dirname) {${code}\n})`);
    return false;
  } catch {
    return true;
  }
}
