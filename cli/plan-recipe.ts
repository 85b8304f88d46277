/**
 * What `roux plan`, `roux graph` and `roux cost` do first: check the recipe as `roux check`
 * does (the same loader, `--set` overrides and diagnostics), refuse one with errors (exit 1
 * with the diagnostics; warnings are shown and do not stop it), then lower it to the Plan.
 * A sweep file is refused with the commands that take one (docs/language.md §10).
 */
import { lowerProgram } from "../compiler/plan/lower.js";
import type { ProgramResult } from "../compiler/program.js";
import type { Plan } from "../plan/plan.js";
import { onePositional, type ParsedArgs } from "./command.js";
import type { Io } from "./io.js";
import { loadRecipe } from "./load-recipe.js";
import { printDiagnostics } from "./report.js";
import { CommandError, UsageError } from "./usage-error.js";

/** The plan of the one recipe the command names, or undefined when it has errors (shown). */
export async function planRecipe(command: string, usage: string, args: ParsedArgs, io: Io): Promise<Plan | undefined> {
  return (await planWithSources(command, usage, args, io))?.plan;
}

/** The plan, with the text of every file it was lowered from (what a run directory keeps), and the checked program. */
export async function planWithSources(
  command: string,
  usage: string,
  args: ParsedArgs,
  io: Io,
): Promise<{ plan: Plan; sources: Map<string, string>; program: ProgramResult } | undefined> {
  const file = onePositional(args);
  if (file === undefined) throw new UsageError(`give one recipe\nusage: roux ${command} ${usage}`);
  const { program, sources } = await loadRecipe(file, args, io);
  if (printDiagnostics(program.diagnostics, sources, [file], "text", io)) return undefined;
  if (program.root.ast.header?.keyword === "sweep") {
    throw new CommandError(`${file} is a sweep file, not one recipe: \`roux sweep ${file}\` runs its points, \`roux check ${file}\` lists them`);
  }
  if (program.root.result?.run === undefined) {
    throw new CommandError(`${file} is a module (it has no \`run\` block), so there is nothing to ${command}; use it from a recipe with \`use\``);
  }
  return { plan: lowerProgram(program), sources, program };
}
