/** The recipe files shipped under recipes/, for tests that must hold for every one of them. */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export function recipeFiles(folder = path.join(REPO_ROOT, "recipes")): { file: string; source: string }[] {
  return readdirSync(folder, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".recipe"))
    .sort()
    .map((name) => {
      const file = path.join(folder, name);
      return { file: path.relative(REPO_ROOT, file), source: readFileSync(file, "utf8") };
    });
}
