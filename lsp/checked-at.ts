/**
 * What the checker concluded about the expression under the cursor: the smallest checked value
 * (compiler/values.ts) of the module's declarations and `run` block whose span holds the offset.
 * The checker keeps each argument, field and list item it checked inside the value built from
 * them, so the tree of values reaches the expressions a hover asks about.
 */
import type { ModuleResult } from "../compiler/check/module.js";
import type { Checked } from "../compiler/values.js";
import type { Span } from "../diagnostics/span.js";
import { touches } from "./locations.js";

function parts(value: Checked): Checked[] {
  return [...(value.fields?.values() ?? []), ...(value.items ?? []), ...(value.call?.args.values() ?? [])];
}

function width(value: Checked): number {
  return value.span.end.offset - value.span.start.offset;
}

/** The smallest value in `file` holding `offset`, or with `exact`, the value of exactly that span. */
export function checkedAt(result: ModuleResult, file: string, offset: number, exact?: Span): Checked | undefined {
  const roots = [...[...result.declarations.values()].flatMap((d) => (d.value ? [d.value] : [])), ...(result.run ? [result.run] : [])];
  // Values are shared (a stage amended with `with` keeps its fields), so each is visited once.
  const seen = new Set<Checked>();
  const stack = [...roots];
  let best: Checked | undefined;
  while (stack.length > 0) {
    const value = stack.pop()!;
    if (seen.has(value)) continue;
    seen.add(value);
    stack.push(...parts(value));
    // A default the checker filled in was not written: it stands at its call, not under the cursor.
    if (value.defaulted || value.span.file !== file) continue;
    if (exact ? value.span.start.offset !== exact.start.offset || value.span.end.offset !== exact.end.offset : !touches(value.span, offset)) continue;
    if (best === undefined || width(value) < width(best)) best = value;
  }
  return best;
}
