/**
 * What every command that reads a recipe does first: read it, apply `--set` overrides, check it
 * and everything it imports (registry imports from the cache, against the nearest `roux.lock`).
 * Commands then print the diagnostics with `printDiagnostics` and go on only when there is no
 * error.
 */
import { checkRecipe } from "../compiler/check-recipe.js";
import type { Target } from "../compiler/check/target.js";
import { DEFAULT_GPUS } from "../compiler/export/layout.js";
import { recipeResolvers } from "../compiler/modules/resolve.js";
import { lowerProgram } from "../compiler/plan/lower.js";
import type { Plan } from "../plan/plan.js";
import { overrideSources } from "../compiler/overrides.js";
import type { ProgramResult } from "../compiler/program.js";
import { sortDiagnostics } from "../diagnostics/diagnostic.js";
import type { Options, ParsedArgs } from "./command.js";
import { readRecipeSource, type Io } from "./io.js";

/** The `--set PATH=VALUE` option, repeatable, for a command's options table. */
export const SET_OPTION: Options = { set: { type: "string", multiple: true, default: [] } };

export interface LoadedRecipe {
  program: ProgramResult;
  /** The text of every file diagnostics may point into: modules and `--set` pseudo-files. */
  sources: Map<string, string>;
  millis: number;
  /** The lowered plan, when an export target was checked and the recipe checks clean. */
  plan?: Plan;
}

/** What the recipe is checked for: the local runtime, or an export target on a number of GPUs. */
export interface CheckTarget {
  target: Target;
  gpus: number;
}

const LOCAL: CheckTarget = { target: "local", gpus: DEFAULT_GPUS };

export async function loadRecipe(file: string, args: ParsedArgs, io: Io, { target, gpus }: CheckTarget = LOCAL): Promise<LoadedRecipe> {
  const { text: source, diagnostics: undecodable } = await readRecipeSource(file);
  const overrides = overrideSources((args.values.set as string[] | undefined) ?? []);
  const started = performance.now();
  const program = await checkRecipe(file, source, { overrides, resolvers: recipeResolvers(file, io.env), target });
  if (undecodable.length > 0) program.diagnostics = sortDiagnostics([...undecodable, ...program.diagnostics]);
  // What an export target cannot express is read from the plan, so only a clean recipe has it checked.
  let plan: Plan | undefined;
  const clean = !program.diagnostics.some((d) => d.severity === "error");
  if (target !== "local" && clean && program.root.result?.run !== undefined) {
    plan = lowerProgram(program);
    // Loaded here, not at the top: the export engines' facts and rules are only for a target's
    // check, and the local check should not pay to load them (docs/architecture.md "Start-up").
    const { checkExport } = await import("../compiler/export/check-export.js");
    program.diagnostics = sortDiagnostics([...program.diagnostics, ...checkExport(program, plan, target, gpus)]);
  }
  const millis = performance.now() - started;
  const sources = new Map<string, string>(overrides.map((o) => [o.file, o.text]));
  for (const module of program.modules.values()) sources.set(module.file, module.source);
  return { program, sources, millis, plan };
}
