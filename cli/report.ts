/** How commands show diagnostics: rustc-style text on stderr, or one JSON document on stdout. */
import { shouldUseColor } from "../diagnostics/color.js";
import { countBySeverity, type Diagnostic } from "../diagnostics/diagnostic.js";
import { renderJson } from "../diagnostics/render-json.js";
import { renderSummary } from "../diagnostics/render-summary.js";
import { renderDiagnostics } from "../diagnostics/render-text.js";
import type { Io } from "./io.js";
import { UsageError } from "./usage-error.js";

export type OutputFormat = "text" | "json";

export function formatOption(value: unknown): OutputFormat {
  if (value === "text" || value === "json") return value;
  throw new UsageError(`--format takes \`text\` or \`json\`, not \`${String(value)}\``);
}

/**
 * Prints diagnostics and, in text, the summary line when there is anything to summarise.
 * Returns whether any of them is an error.
 */
export function printDiagnostics(
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
  files: readonly string[],
  format: OutputFormat,
  io: Io,
): boolean {
  if (format === "json") {
    io.stdout.write(renderJson(diagnostics));
  } else if (diagnostics.length > 0) {
    const color = shouldUseColor(io.stderr, io.env);
    io.stderr.write(renderDiagnostics(diagnostics, sources, { color }));
    io.stderr.write(renderSummary(diagnostics, files, { color }));
  }
  return countBySeverity(diagnostics).errors > 0;
}
