/**
 * The compiler's diagnostics as an editor shows them. Each keeps its code, linked to its entry
 * in docs/errors.md (what `roux explain` prints); secondary labels become related locations and
 * notes and help follow the message, as the rustc-style text shows them. A diagnostic inside an
 * imported module is shown at the `use` that imports it, pointing at where it is. A document
 * declaring a sweep shows the sweep's diagnostics, as `roux check` reports them; one inside a
 * recipe a variant names (or a module that recipe imports) is shown at that variant.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { type Diagnostic as LspDiagnostic, DiagnosticSeverity, type DiagnosticRelatedInformation } from "vscode-languageserver";
import { packageRoot } from "../compiler/modules/resolve.js";
import { CODES, type Code } from "../diagnostics/codes.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import type { Analysis } from "./analysis.js";
import { useReaching } from "./imports.js";

const ERRORS_DOC = pathToFileURL(path.join(packageRoot(), "docs", "errors.md")).href;

/** The anchor of a code's `## CODE: summary` heading in docs/errors.md, as Markdown viewers slug headings. */
export function explainHref(code: Code): string {
  const heading = `${code}: ${CODES[code].summary}`;
  const slug = heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
  return `${ERRORS_DOC}#${slug}`;
}

export function documentDiagnostics(analysis: Analysis): LspDiagnostic[] {
  if (analysis.program === undefined) {
    return [
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: DiagnosticSeverity.Error,
        source: "roux",
        message: `internal error in the checker: ${analysis.failure}\nplease report this with the file`,
      },
    ];
  }
  const program = analysis.program;
  const sweep = analysis.sweep;
  const shown: LspDiagnostic[] = [];
  for (const d of sweep?.diagnostics ?? program.diagnostics) {
    if (d.span.file === analysis.file) {
      shown.push(toLsp(d, analysis));
      continue;
    }
    // A mistake in a recipe a sweep's variant names (or a module it imports) shows at that variant.
    const variant = sweep?.readers.get(d.span.file);
    if (variant !== undefined && variant.recipeFile !== analysis.file) {
      shown.push(elsewhere(d, analysis, variant.span, `variant \`${variant.name}\``));
      continue;
    }
    const use = useReaching(program, d.span.file);
    if (use !== undefined) shown.push(elsewhere(d, analysis, use.path.span, use.path.value));
  }
  return shown;
}

/** A diagnostic in another file, shown at `at` in the document, pointing at where it is. */
function elsewhere(d: Diagnostic, analysis: Analysis, at: Span, where: string): LspDiagnostic {
  const inModule = toLsp(d, analysis);
  return {
    ...inModule,
    range: analysis.rangesOf(analysis.file).range(at),
    message: `in ${where}: ${inModule.message}`,
    relatedInformation: [
      { location: { uri: analysis.uriOf(d.span.file), range: analysis.rangesOf(d.span.file).range(d.span) }, message: d.label ?? d.message },
      ...(inModule.relatedInformation ?? []),
    ],
  };
}

/** One diagnostic of the document's own file, as the editor shows it. */
export function toLsp(d: Diagnostic, analysis: Analysis): LspDiagnostic {
  const related: DiagnosticRelatedInformation[] = d.secondary.map((label) => ({
    location: { uri: analysis.uriOf(label.span.file), range: analysis.rangesOf(label.span.file).range(label.span) },
    message: label.message,
  }));
  const lines = [d.message, ...(d.label ? [d.label] : []), ...d.notes.map((n) => `note: ${n}`), ...(d.help ? [`help: ${d.help}`] : [])];
  return {
    range: analysis.rangesOf(d.span.file).range(d.span),
    severity: d.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    codeDescription: { href: explainHref(d.code) },
    source: "roux",
    message: lines.join("\n"),
    ...(related.length > 0 ? { relatedInformation: related } : {}),
  };
}
