/**
 * The depth of a checked value's call tree, limited as the source's nesting is (docs/language.md
 * §9 "Nesting"). The passes after checking (the outside checks, lowering, the plan's reward
 * expressions, the runtime's reward graph) walk that tree by recursion, and a flat chain in the
 * source builds it one level deeper per link: `r + r + r` is `(r + r) + r`, `rloo |> whiten |>
 * whiten` whitens the whitened advantage, and declarations built from declarations stack up the
 * same way. A value deeper than the limit is E0005 once, at the operation that goes too deep,
 * and Unknown from there on.
 */
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { NESTING_LIMIT } from "../../grammar/nesting.js";
import type { Checked } from "../values.js";

/**
 * `value` with its depth recorded: one more than its deepest argument's. `value` is one the
 * caller has just built and shares with no one, so the depth is set on it rather than on a copy
 * (a call-heavy recipe makes one per operation).
 */
export function withinDepth(value: Checked, report: (d: Diagnostic) => void): Checked {
  let below = 0;
  for (const arg of value.call?.args.values() ?? []) below = Math.max(below, arg.depth ?? 0);
  const depth = below + 1;
  if (depth <= NESTING_LIMIT) {
    value.depth = depth;
    return value;
  }
  // An argument past the limit was reported where it went too deep.
  if (below <= NESTING_LIMIT) {
    report(
      diagnostic("E0005", { what: "operations", limit: NESTING_LIMIT }, value.span, {
        label: `more than ${NESTING_LIMIT} operators or built-ins, each applied to the result of the one before`,
        help: "combine fewer rewards or advantage steps in one value",
      }),
    );
  }
  return { type: { kind: "Unknown" }, span: value.span, depth };
}
