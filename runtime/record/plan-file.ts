/**
 * A run's plan read back from its file: checked against the schema to show a run, and against
 * the plan's rules as well to run one. RunDirectoryError is the error of every reader of a run
 * directory, so the CLI reports all of them as one kind of mistake.
 */
import { promises as fs } from "node:fs";
import { checkPlan } from "../../plan/check-plan.js";
import { describeIssues } from "../../plan/plan-issue.js";
import { upgradePlan } from "../../plan/upgrade.js";
import type { Plan } from "../../plan/plan.js";
import { describeFsError } from "../../plan/fs-error.js";

export class RunDirectoryError extends Error {}

/**
 * A plan file (`roux plan -o`, a run's plan.json), checked against the Plan's schema: what a
 * finished run was, for commands that show it (`roux compare`, `roux watch`).
 */
export async function readPlanFile(file: string): Promise<Plan> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    throw new RunDirectoryError(`cannot read ${file}: ${describeFsError(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RunDirectoryError(`${file} is not JSON: ${(error as Error).message}`);
  }
  // ajv loads only when a plan is read back, not for every command that imports this file.
  const { validatePlan } = await import("../../plan/validate.js");
  const validation = validatePlan(upgradePlan(json));
  if (!validation.ok) throw new RunDirectoryError(`${file} is not a valid plan:\n  ${validation.errors.join("\n  ")}`);
  return validation.plan;
}

/**
 * A plan file to run: the schema, and the plan's rules (plan/check-plan.ts), which a file edited
 * by hand or written by another tool may break. Refused here, before a run directory is made;
 * a run that failed on such a plan stays readable with `readPlanFile`.
 */
export async function readRunnablePlan(file: string): Promise<Plan> {
  const plan = await readPlanFile(file);
  const issues = checkPlan(plan);
  if (issues.length > 0) throw new RunDirectoryError(`${file}: ${describeIssues(issues)}`);
  return plan;
}
