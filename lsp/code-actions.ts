/**
 * Quick fixes: a diagnostic of the document that carries a suggestion (diagnostics/diagnostic.ts
 * `Suggestion`: a "did you mean", a reward to centre, a KL reference to a stage that runs
 * earlier) becomes a code action replacing the span with the suggested text. Read from the
 * document's current analysis, so a fix never applies to text that has changed since.
 */
import { type CodeAction, CodeActionKind, type Range } from "vscode-languageserver";
import type { Analysis } from "./analysis.js";
import { toLsp } from "./diagnostics.js";

function overlaps(a: Range, b: Range): boolean {
  const before = (x: Range["start"], y: Range["start"]) => x.line < y.line || (x.line === y.line && x.character <= y.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

export function quickFixes(analysis: Analysis, range: Range): CodeAction[] {
  const actions: CodeAction[] = [];
  const ranges = analysis.rangesOf(analysis.file);
  for (const d of analysis.program?.diagnostics ?? []) {
    const suggestion = d.suggestion;
    if (suggestion === undefined || d.span.file !== analysis.file || suggestion.spans.some((s) => s.file !== analysis.file)) continue;
    if (!overlaps(ranges.range(d.span), range) || suggestion.spans.length === 0) continue;
    const written = analysis.text.slice(suggestion.spans[0]!.start.offset, suggestion.spans[0]!.end.offset);
    actions.push({
      title: `Replace \`${written}\` with \`${suggestion.text}\``,
      kind: CodeActionKind.QuickFix,
      diagnostics: [toLsp(d, analysis)],
      isPreferred: true,
      edit: { changes: { [analysis.uri]: suggestion.spans.map((span) => ({ range: ranges.range(span), newText: suggestion.text })) } },
    });
  }
  return actions;
}
