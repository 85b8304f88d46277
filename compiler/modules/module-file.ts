/**
 * Reads a module's file for `use "..."` without trusting what is at the path (docs/language.md
 * §6): a regular file only, at most MODULE_MAX_BYTES (plan/regular-file.ts, the rule every file
 * a recipe names is read by).
 */
import { readRegularFile, type RegularFile } from "../../plan/regular-file.js";

/** The largest module file read: far above any hand-written recipe, far below a hostile one. */
export const MODULE_MAX_BYTES = 8 * 1024 * 1024;

export function readModuleFile(file: string, maxBytes = MODULE_MAX_BYTES): RegularFile {
  return readRegularFile(file, maxBytes, "a module");
}
