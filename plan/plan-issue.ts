/**
 * A broken plan rule (plan/check-plan.ts) as data: which rule, where in the plan by the names the
 * plan uses, what is wrong and how to mend it; and the words the runtime says it in. The
 * compiler maps the same location back to a span of the recipe instead.
 */
import type { PlanRuleName } from "./check-plan.js";

/** Field names and array indices below what a location names. */
export type PlanPath = readonly (string | number)[];

/** Where an issue is, by the names the plan refers to things by (plan paths change with passes). */
export type PlanLocation =
  | { readonly in: "plan"; readonly path: PlanPath }
  | { readonly in: "dataset"; readonly dataset: string; readonly path: PlanPath }
  | { readonly in: "reward"; readonly reward: string; readonly path: PlanPath }
  | { readonly in: "stage"; readonly stage: string; readonly path: PlanPath }
  | { readonly in: "node"; readonly stage: string; readonly node: string; readonly path: PlanPath };

export interface PlanIssue {
  readonly rule: PlanRuleName;
  readonly at: PlanLocation;
  readonly message: string;
  /** How to mend it, when there is one clear way. */
  readonly help?: string;
}

/** `stage \`rl\`, node \`advantage\`, ops[1]`: where an issue is, for a message outside the compiler. */
export function describeLocation(at: PlanLocation): string {
  const path = at.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("");
  switch (at.in) {
    case "plan":
      return path === "" ? "the plan" : path.slice(1);
    case "dataset":
      return `dataset \`${at.dataset}\`${path}`;
    case "reward":
      return `reward source \`${at.reward}\`${path}`;
    case "stage":
      return `stage \`${at.stage}\`${path}`;
    case "node":
      return `stage \`${at.stage}\`, node \`${at.node}\`${path}`;
  }
}

/** What the runtime says when handed a plan that breaks rules: each issue on a line, where, what, how to mend it. */
export function describeIssues(issues: readonly PlanIssue[]): string {
  const lines = issues.map((i) => `${describeLocation(i.at)}: ${i.message}${i.help === undefined ? "" : ` (${i.help})`}`);
  return `the plan breaks ${issues.length === 1 ? "a rule" : `${issues.length} rules`} the runtime relies on:\n  ${lines.join("\n  ")}`;
}
