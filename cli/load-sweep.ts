/**
 * What the commands that read a sweep (`roux check`, `roux cost`) do first: load it with
 * compiler/sweep/load-sweep.ts, reading files as every command does, and say how many runs it
 * makes and which (docs/language.md §10).
 */
import type { Target } from "../compiler/check/target.js";
import { type LoadedSweep, loadSweep } from "../compiler/sweep/load-sweep.js";
import { isSweepSource } from "../compiler/sweep/sweep-spec.js";
import { parse } from "../grammar/parse.js";
import { plural } from "../diagnostics/render-summary.js";
import type { ParsedArgs } from "./command.js";
import { readRecipeSource, type Io } from "./io.js";

/** `--set` options given with a sweep are every point's first settings (compiler/sweep/command-line-settings.ts). */
export async function loadSweepFile(file: string, args: ParsedArgs, io: Io, target: Target = "local"): Promise<LoadedSweep> {
  const overrides = (args.values.set as string[] | undefined) ?? [];
  return loadSweep(file, { env: io.env, target, readSource: readRecipeSource, overrides });
}

/** Whether the file is taken as a sweep (docs/language.md §10), by the rule `roux check` and the language server use. */
export async function isSweep(file: string): Promise<boolean> {
  const { ast, diagnostics } = parse((await readRecipeSource(file)).text, file);
  return isSweepSource(ast, diagnostics);
}

/** `FILE: N runs`, then each point's name on a line of its own. */
export function sweepListing(file: string, names: readonly string[]): string {
  return `${file}: ${plural(names.length, "run")}\n${names.map((n) => `  ${n}\n`).join("")}`;
}
