import { describe, expect, it } from "vitest";
import type { Span } from "../../diagnostics/span.js";
import { checkProgram } from "../program.js";
import { planDiagnostics } from "./plan-diagnostics.js";
import { Provenance } from "./provenance.js";
import { recipe } from "./testing.js";

/** `CODE line:column-line:column the text under the caret: message`, for the recipe `source`. */
function described(source: string): string[] {
  const text = (span: Span) => source.slice(span.start.offset, span.end.offset);
  return planDiagnostics(checkProgram("inline.recipe", source)).map(
    (d) => `${d.code} ${d.span.start.line}:${d.span.start.column} \`${text(d.span)}\`: ${d.message}`,
  );
}

describe("planDiagnostics", () => {
  it("reports an advantage out of order at the ops that are, where `roux check` reported nothing", () => {
    const source = recipe("  reward = correct\n  advantage = whiten |> group_norm");
    expect(checkProgram("inline.recipe", source).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(described(source)).toEqual(["E3107 22:15 `whiten |> group_norm`: the advantage applies `group_norm` after `whiten`"]);
    // The first op out of place is under the caret, not the whole chain.
    expect(described(recipe("  reward = correct\n  advantage = group_norm |> rloo |> whiten"))).toEqual([
      "E3107 22:15 `group_norm |> rloo`: the advantage applies `rloo` after `group_norm`",
    ]);
  });

  it("reports a second PROF filter at the `prof(...)` that makes it", () => {
    const source = recipe("  reward = prof(outcome = correct, process = steps, remove = 1) + prof(outcome = correct, process = steps, remove = 2)");
    expect(described(source)).toEqual(["E3107 21:67 `prof(outcome = correct, process = steps, remove = 2)`: stage `rl` has 2 PROF filters"]);
  });

  it("reports nothing for a clean recipe, a module, or a program that already has errors", () => {
    expect(described(recipe("  reward = correct\n  advantage = rloo |> whiten"))).toEqual([]);
    expect(planDiagnostics(checkProgram("lib.recipe", 'use "std/arith" as arith\n\ndata train = arith.problems { count = 10 }\n'))).toEqual([]);
    expect(described(recipe("  reward = correct\n  advantage = whiten |> group_norm\n  ppo_epochs = banana"))).toEqual([]);
  });
});

describe("Provenance", () => {
  const span = (line: number, file = "r.recipe"): Span => ({
    file,
    start: { line, column: 1, offset: line * 10 },
    end: { line, column: 2, offset: line * 10 + 1 },
  });

  it("gives a location the span of the nearest recorded one that holds it: field, node, stage, plan", () => {
    const provenance = new Provenance();
    provenance.record({ in: "plan", path: [] }, span(1));
    provenance.record({ in: "stage", stage: "rl", path: [] }, span(2));
    provenance.record({ in: "node", stage: "rl", node: "advantage", path: [] }, span(3));
    provenance.record({ in: "node", stage: "rl", node: "advantage", path: ["ops", 1] }, span(4));
    expect(provenance.spanOf({ in: "node", stage: "rl", node: "advantage", path: ["ops", 1] })).toEqual(span(4));
    expect(provenance.spanOf({ in: "node", stage: "rl", node: "advantage", path: ["ops", 0] })).toEqual(span(3));
    expect(provenance.spanOf({ in: "node", stage: "rl", node: "credit", path: ["inputs", 0] })).toEqual(span(2));
    expect(provenance.spanOf({ in: "stage", stage: "warmup", path: ["length"] })).toEqual(span(1));
    expect(provenance.spanOf({ in: "reward", reward: "correct", path: [] })).toEqual(span(1));
  });

  it("keeps only the spans it is told are the user's, so a preset's field falls back to the user's stage", () => {
    const provenance = new Provenance((s) => s.file !== "std/presets.recipe");
    provenance.record({ in: "stage", stage: "rl", path: [] }, span(2));
    provenance.record({ in: "node", stage: "rl", node: "advantage", path: [] }, span(6, "std/presets.recipe"));
    expect(provenance.spanOf({ in: "node", stage: "rl", node: "advantage", path: [] })).toEqual(span(2));
  });
});
