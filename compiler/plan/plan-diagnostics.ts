/**
 * The plan's rules (plan/check-plan.ts) as diagnostics, so `roux check` finds what the runtime
 * would refuse before anything runs: a program that checks clean is lowered, checkPlan runs on
 * its plan, and each broken rule is E3107 at the recipe construct that made the plan so (the
 * lowering's provenance), with the rule under the caret.
 */
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { checkPlan, PLAN_RULES } from "../../plan/check-plan.js";
import type { ProgramResult } from "../program.js";
import { lowerWithProvenance } from "./lower.js";

/** Stands in for the recipe hash in the plan that only checkPlan reads. */
const UNHASHED = "sha256:unhashed";

/** None for a module (no `run` block, nothing to lower) or a program with errors (lowering reads only settled facts). */
export function planDiagnostics(program: ProgramResult): Diagnostic[] {
  const run = program.root.result?.run;
  if (run === undefined || program.diagnostics.some((d) => d.severity === "error")) return [];
  // No plan rule reads the recipe hash, and computing it would format every module the recipe
  // loads: a cold `roux check` does not pay for it (docs/architecture.md "Start-up").
  const { plan, provenance } = lowerWithProvenance(program, UNHASHED);
  return checkPlan(plan).map((issue) =>
    diagnostic("E3107", { problem: issue.message }, provenance.spanOf(issue.at) ?? run.span, { label: PLAN_RULES[issue.rule].summary, help: issue.help }),
  );
}
