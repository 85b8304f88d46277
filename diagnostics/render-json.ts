/**
 * Diagnostics for a program: `roux check --format json`. One object, so counts can be read
 * without walking the list and fields can be added later without breaking readers:
 *
 *     {
 *       "errors": 1,
 *       "warnings": 0,
 *       "diagnostics": [
 *         {
 *           "code": "E3102", "severity": "error", "message": "...",
 *           "file": "recipes/bad.recipe", "line": 14, "column": 12, "endLine": 14, "endColumn": 39,
 *           "label": "needs a process or token reward",     // or null
 *           "notes": [],
 *           "help": "use a process reward, ...",            // or null
 *           "secondary": [
 *             { "file": "...", "line": 9, "column": 12, "endLine": 9, "endColumn": 19, "label": "..." }
 *           ]
 *         }
 *       ],
 *       "omitted": 0
 *     }
 *
 * Lines and columns are 1-based, columns in UTF-16 code units (as `Span` counts them);
 * `endLine`/`endColumn` is the position just past the span, so an empty span has end == start.
 * Every key is always present (absent label/help are null) and keys come in the order above,
 * so output is stable to diff and to match against golden files. `errors` and `warnings` count
 * every diagnostic; `diagnostics` lists at most `MAX_PER_FILE` per file (cap.ts) and `omitted`
 * says how many it left out (docs/language.md §7 "Long output").
 */
import type { Code, Severity } from "./codes.js";
import { capPerFile } from "./cap.js";
import { countBySeverity, type Diagnostic } from "./diagnostic.js";
import type { Span } from "./span.js";

export interface JsonLocation {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface JsonSecondary extends JsonLocation {
  label: string;
}

export interface JsonDiagnostic extends JsonLocation {
  code: Code;
  severity: Severity;
  message: string;
  label: string | null;
  notes: string[];
  help: string | null;
  secondary: JsonSecondary[];
}

export interface JsonReport {
  errors: number;
  warnings: number;
  diagnostics: JsonDiagnostic[];
  /** Diagnostics counted in `errors` and `warnings` but not listed, past the cap of their file. */
  omitted: number;
}

/** The report as a value, for a caller that embeds it in a larger JSON document. */
export function jsonReport(diagnostics: readonly Diagnostic[]): JsonReport {
  const { errors, warnings } = countBySeverity(diagnostics);
  const { shown, omitted } = capPerFile(diagnostics);
  return {
    errors,
    warnings,
    diagnostics: shown.map((d) => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      ...location(d.span),
      label: d.label ?? null,
      notes: [...d.notes],
      help: d.help ?? null,
      secondary: d.secondary.map((s) => ({ ...location(s.span), label: s.message })),
    })),
    omitted: [...omitted.values()].reduce((sum, left) => sum + left.errors + left.warnings, 0),
  };
}

/** The report as text, indented for people reading it too, ending with a newline. */
export function renderJson(diagnostics: readonly Diagnostic[]): string {
  return `${JSON.stringify(jsonReport(diagnostics), null, 2)}\n`;
}

function location(span: Span): JsonLocation {
  return {
    file: span.file,
    line: span.start.line,
    column: span.start.column,
    endLine: span.end.line,
    endColumn: span.end.column,
  };
}
