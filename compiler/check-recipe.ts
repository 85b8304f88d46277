/**
 * The whole of what `roux check` checks, for any caller that has the source text: the program,
 * the plan it lowers to (the rules the runtime relies on, E3107) and, once it parses and checks,
 * the files it names. The CLI and the registry's server both call this, so a recipe the
 * registry accepts is one `roux check` accepts.
 */
import { sortDiagnostics } from "../diagnostics/diagnostic.js";
import { checkOutside } from "./check/outside.js";
import { planDiagnostics } from "./plan/plan-diagnostics.js";
import { checkProgram, type ProgramOptions, type ProgramResult } from "./program.js";

export async function checkRecipe(file: string, source: string, options: ProgramOptions = {}): Promise<ProgramResult> {
  const program = checkProgram(file, source, options);
  // The files a recipe names are read once it parses and checks; their problems stand alone.
  if (program.root.result !== undefined) {
    program.diagnostics = sortDiagnostics([...program.diagnostics, ...planDiagnostics(program), ...(await checkOutside(program, options.target ?? "local"))]);
  }
  return program;
}
