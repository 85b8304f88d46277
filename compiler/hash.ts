/**
 * The recipe hash: sha256 over the canonical formatted source (`roux fmt`) of the recipe and of
 * every module it imports, the prelude included. Layout does not change the hash; anything the
 * formatter keeps (values, names, comments) does. Modules are hashed in a fixed order, the root
 * first and then by specifier as written, so the hash does not depend on where files live.
 */
import { createHash } from "node:crypto";
import { format } from "../grammar/format.js";
import type { ProgramResult } from "./program.js";

export function recipeHash(program: ProgramResult): string {
  const hash = createHash("sha256");
  const modules = [...program.modules.values()].sort((a, b) => (a === program.root ? -1 : b === program.root ? 1 : a.specifier.localeCompare(b.specifier)));
  for (const module of modules) {
    const canonical = format(module.ast, module.source);
    hash.update(`${module === program.root ? "<root>" : module.specifier}\n${canonical.length}\n${canonical}`);
  }
  return `sha256:${hash.digest("hex")}`;
}
