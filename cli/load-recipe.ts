/**
 * What every command that reads a recipe does first: read it, apply `--set` overrides, check it
 * and everything it imports (registry imports from the cache, against the nearest `roux.lock`).
 * Commands then print the diagnostics with `printDiagnostics` and go on only when there is no
 * error.
 */
import path from "node:path";
import { checkRecipe } from "../compiler/check-recipe.js";
import { findLock, readLock } from "../compiler/modules/lock.js";
import { registryCacheResolver } from "../compiler/modules/registry-cache.js";
import { fileResolver, stdResolver } from "../compiler/modules/resolve.js";
import { overrideSources } from "../compiler/overrides.js";
import type { ProgramResult } from "../compiler/program.js";
import type { Options, ParsedArgs } from "./command.js";
import { readSource, type Io } from "./io.js";

/** The `--set PATH=VALUE` option, repeatable, for a command's options table. */
export const SET_OPTION: Options = { set: { type: "string", multiple: true, default: [] } };

export interface LoadedRecipe {
  program: ProgramResult;
  /** The text of every file diagnostics may point into: modules and `--set` pseudo-files. */
  sources: Map<string, string>;
  millis: number;
}

export async function loadRecipe(file: string, args: ParsedArgs, io: Io): Promise<LoadedRecipe> {
  const source = await readSource(file);
  const overrides = overrideSources((args.values.set as string[] | undefined) ?? []);
  const started = performance.now();
  const lockFile = findLock(path.dirname(path.resolve(file)));
  const registry = registryCacheResolver({ env: io.env, lock: lockFile === undefined ? undefined : readLock(lockFile) });
  const program = await checkRecipe(file, source, { overrides, resolvers: [stdResolver, fileResolver, registry] });
  const millis = performance.now() - started;
  const sources = new Map<string, string>(overrides.map((o) => [o.file, o.text]));
  for (const module of program.modules.values()) sources.set(module.file, module.source);
  return { program, sources, millis };
}
