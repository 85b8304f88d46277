/**
 * The file extensions of a JS/TS reward module (`js(path, export)`), and how each is read: the
 * one list `roux check` holds a module to (js-exports.ts) and the registry's page reads to say a
 * package holds code that runs when the recipe runs. `detect` is Node's rule for a `.js` or `.ts`
 * file whose package.json does not say: ES module syntax makes it an ES module, otherwise it is
 * CommonJS.
 */
import { extname } from "node:path";

export interface ModuleKind {
  typescript: boolean;
  format: "esm" | "commonjs" | "detect";
}

export const MODULE_EXTENSIONS: ReadonlyMap<string, ModuleKind> = new Map<string, ModuleKind>([
  [".js", { typescript: false, format: "detect" }],
  [".mjs", { typescript: false, format: "esm" }],
  [".cjs", { typescript: false, format: "commonjs" }],
  [".ts", { typescript: true, format: "detect" }],
  [".mts", { typescript: true, format: "esm" }],
  [".cts", { typescript: true, format: "commonjs" }],
]);

/** Whether a file is, by its name, a module a `js(...)` reward can run. */
export function isCodeModule(file: string): boolean {
  return MODULE_EXTENSIONS.has(extname(file));
}
