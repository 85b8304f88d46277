/**
 * The plan's rules (plan/check-plan.ts) as diagnostics, so `roux check` finds what the runtime
 * would refuse before anything runs: a program that checks clean is lowered, checkPlan runs on
 * its plan, and each broken rule is E3107 at the recipe construct that made the plan so (the
 * lowering's provenance), with the rule under the caret.
 */
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { checkPlan, PLAN_RULES } from "../../plan/check-plan.js";
import type { ProgramResult } from "../program.js";
import { lowerWithProvenance, unhashed } from "./lower.js";

/** None for a module (no `run` block, nothing to lower) or a program with errors (lowering reads only settled facts). */
export function planDiagnostics(program: ProgramResult): Diagnostic[] {
  const run = program.root.result?.run;
  if (run === undefined || program.diagnostics.some((d) => d.severity === "error")) return [];
  const { plan, provenance } = lowerWithProvenance(program, unhashed);
  return checkPlan(plan).map((issue) =>
    diagnostic("E3107", { problem: issue.message }, provenance.spanOf(issue.at) ?? run.span, { label: PLAN_RULES[issue.rule].summary, help: issue.help }),
  );
}
