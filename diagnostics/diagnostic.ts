import { CODES, fillTemplate, type Code, type Severity } from "./codes.js";
import type { Span } from "./span.js";

/** A secondary span pointing at a cause (rendered with `-` underlines). */
export interface Label {
  span: Span;
  message: string;
}

/**
 * A fix a tool can apply without asking: replace the text of each span with `text` (several
 * spans when one mistake is written in several places, as an unknown name used twice). The help
 * says the same in words, which is all the terminal shows; an editor offers it as a quick fix.
 */
export interface Suggestion {
  spans: Span[];
  text: string;
}

export interface Diagnostic {
  code: Code;
  severity: Severity;
  message: string;
  span: Span;
  /** Text under the primary caret. */
  label?: string;
  secondary: Label[];
  notes: string[];
  help?: string;
  /**
   * Errors in the same file that the front end counted after this one but did not build
   * (docs/language.md §7 "Long output"): counted and reported as omitted like any other.
   */
  more?: number;
  suggestion?: Suggestion;
}

export interface DiagnosticExtras {
  label?: string;
  secondary?: Label[];
  notes?: string[];
  help?: string;
  suggestion?: Suggestion;
}

/** Builds a diagnostic whose message comes from the code table. */
export function diagnostic(code: Code, params: Record<string, string | number>, span: Span, extras: DiagnosticExtras = {}): Diagnostic {
  const entry = CODES[code];
  return {
    code,
    severity: entry.severity,
    message: fillTemplate(entry.message, params),
    span,
    label: extras.label,
    secondary: extras.secondary ?? [],
    notes: extras.notes ?? [],
    help: extras.help,
    ...(extras.suggestion ? { suggestion: extras.suggestion } : {}),
  };
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === "error") errors++;
    else warnings++;
    errors += d.more ?? 0;
  }
  return { errors, warnings };
}

/** Source order: by file, then position; stable for diagnostics at the same place. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => a.span.file.localeCompare(b.span.file) || a.span.start.offset - b.span.start.offset);
}
