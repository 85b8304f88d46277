/** The recipe files shipped under recipes/, for tests that must hold for every one of them. */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** `extensions`: `.recipe` by default; `.sweep` adds sweep files (docs/language.md §10). */
export function recipeFiles(folder = path.join(REPO_ROOT, "recipes"), extensions: readonly string[] = [".recipe"]): { file: string; source: string }[] {
  return readdirSync(folder, { recursive: true, encoding: "utf8" })
    .filter((name) => extensions.some((extension) => name.endsWith(extension)))
    .sort()
    .map((name) => {
      const file = path.join(folder, name);
      return { file: path.relative(REPO_ROOT, file), source: readFileSync(file, "utf8") };
    });
}
