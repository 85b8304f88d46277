/**
 * Test support for the exports: a shipped recipe checked for an export target, as `roux check
 * --target` checks it (the checker, then the capability and batch rules on its plan).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { REPO_ROOT } from "../../test/recipes.js";
import { lowerProgram } from "../plan/lower.js";
import type { Plan } from "../../plan/plan.js";
import { checkProgram } from "../program.js";
import { checkExport } from "./check-export.js";
import type { ExportTarget } from "./engines.js";
import type { Facts } from "./facts/facts.js";
import { DEFAULT_GPUS } from "./layout.js";

/** The recipe's plan and every diagnostic `roux check --target` gives it. */
export function checkForTarget(
  file: string,
  target: ExportTarget,
  gpus = DEFAULT_GPUS,
  source = readFileSync(path.join(REPO_ROOT, file), "utf8"),
  /** Another release's facts than the pins', to ask what it would refuse. */
  facts?: Facts,
): { plan?: Plan; diagnostics: Diagnostic[] } {
  const program = checkProgram(file, source, { target });
  if (program.diagnostics.some((d) => d.severity === "error") || program.root.result?.run === undefined) return { diagnostics: program.diagnostics };
  const plan = lowerProgram(program);
  return { plan, diagnostics: [...program.diagnostics, ...checkExport(program, plan, target, gpus, facts)] };
}

/** `file:line:column code message`, one per diagnostic, for assertions that read like the output. */
export function described(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.span.file}:${d.span.start.line}:${d.span.start.column} ${d.code} ${d.message}`);
}
