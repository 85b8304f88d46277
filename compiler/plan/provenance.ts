/**
 * Where in the recipe each part of a plan came from. The plan has no spans by design
 * (plan/plan.schema.json), so lowering keeps them here, beside it, keyed by the locations
 * checkPlan reports (plan/check-plan.ts): a broken plan rule becomes a diagnostic at the recipe
 * construct that made the plan so. A location nothing was recorded for takes the span of the
 * nearest one that holds it: a node's field, the node, its stage, the plan (the `run` block).
 */
import type { Span } from "../../diagnostics/span.js";
import type { PlanLocation } from "../../plan/plan-issue.js";

export class Provenance {
  /**
   * What was recorded, in order; keyed only when a span is first asked for. Lowering records a
   * location for every node and field, and a plan that keeps the rules asks for none.
   */
  private readonly recorded: [PlanLocation, Span][] = [];
  private spans?: Map<string, Span>;

  /** `own` says which spans to keep: the standard library's are no place to point a user at. */
  constructor(private readonly own: (span: Span) => boolean = () => true) {}

  record(at: PlanLocation, span: Span | undefined): void {
    if (span === undefined || !this.own(span)) return;
    this.recorded.push([at, span]);
    this.spans = undefined;
  }

  spanOf(at: PlanLocation): Span | undefined {
    // A later record of the same location replaces an earlier one.
    this.spans ??= new Map(this.recorded.map(([location, span]) => [key(location), span]));
    for (let location: PlanLocation | undefined = at; location !== undefined; location = enclosing(location)) {
      const span = this.spans.get(key(location));
      if (span !== undefined) return span;
    }
    return undefined;
  }
}

function key(at: PlanLocation): string {
  switch (at.in) {
    case "plan":
      return JSON.stringify([at.in, ...at.path]);
    case "dataset":
      return JSON.stringify([at.in, at.dataset, ...at.path]);
    case "reward":
      return JSON.stringify([at.in, at.reward, ...at.path]);
    case "stage":
      return JSON.stringify([at.in, at.stage, ...at.path]);
    case "node":
      return JSON.stringify([at.in, at.stage, at.node, ...at.path]);
  }
}

/** The location one step out: a shorter path, then the node's stage, then the plan. */
function enclosing(at: PlanLocation): PlanLocation | undefined {
  if (at.path.length > 0) return { ...at, path: at.path.slice(0, -1) };
  switch (at.in) {
    case "plan":
      return undefined;
    case "node":
      return { in: "stage", stage: at.stage, path: [] };
    default:
      return { in: "plan", path: [] };
  }
}
