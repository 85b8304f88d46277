/**
 * At most `MAX_PER_FILE` diagnostics are shown for each file (docs/language.md §7 "Long output").
 * A file of binary garbage or a thousand stray characters yields one diagnostic per token; past a
 * hundred more of them tell the user nothing, and showing them all would make the output (and
 * the registry's 422 response) grow with the input times its line length. The rest are counted,
 * so nothing is lost: every renderer says how many it left out.
 */
import type { Diagnostic } from "./diagnostic.js";

export const MAX_PER_FILE = 100;

export interface Omitted {
  errors: number;
  warnings: number;
}

export interface Capped {
  /** The diagnostics to show, in the order given. */
  shown: Diagnostic[];
  /** For each file (by its primary spans) with diagnostics left out, how many of each severity. */
  omitted: Map<string, Omitted>;
}

/** The first `MAX_PER_FILE` diagnostics of each file, keeping the order given. */
export function capPerFile(diagnostics: readonly Diagnostic[]): Capped {
  const perFile = new Map<string, number>();
  const shown: Diagnostic[] = [];
  const omitted = new Map<string, Omitted>();
  for (const d of diagnostics) {
    const { file } = d.span;
    const count = (perFile.get(file) ?? 0) + 1;
    perFile.set(file, count);
    const left = omitted.get(file) ?? { errors: 0, warnings: 0 };
    // Errors the front end only counted (Diagnostic.more) are omitted wherever they stand.
    left.errors += d.more ?? 0;
    if (count <= MAX_PER_FILE) shown.push(d);
    else if (d.severity === "error") left.errors++;
    else left.warnings++;
    if (left.errors + left.warnings > 0) omitted.set(file, left);
  }
  return { shown, omitted };
}
