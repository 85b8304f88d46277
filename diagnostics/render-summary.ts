/**
 * The line `roux check` prints after the diagnostics (docs/architecture.md "roux check"):
 *
 *     error: 1 error, 0 warnings in bad.recipe
 *     warning: 0 errors, 2 warnings in 3 files
 *
 * It leads with the worst severity present, so the last line of the output tells at a glance
 * whether the check failed; with nothing to report it is just the counts.
 */
import { painter } from "./color.js";
import { countBySeverity, type Diagnostic } from "./diagnostic.js";
import type { TextOptions } from "./render-text.js";

/** `files` are the files that were checked, as the user named them; one is named, several counted. */
export function renderSummary(diagnostics: readonly Diagnostic[], files: readonly string[], options: TextOptions): string {
  const { errors, warnings } = countBySeverity(diagnostics);
  const where = files.length === 1 ? files[0] : plural(files.length, "file");
  const text = `${plural(errors, "error")}, ${plural(warnings, "warning")} in ${where}`;
  const worst = errors > 0 ? "error" : warnings > 0 ? "warning" : undefined;
  if (worst === undefined) return `${text}\n`;
  const paint = painter(options.color);
  return `${paint(worst, worst)}${paint("bold", `: ${text}`)}\n`;
}

/** `1 error`, `2 errors`, `0 warnings`: a count with its noun, for summary lines. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
