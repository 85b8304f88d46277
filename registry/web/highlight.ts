/**
 * A recipe's source as highlighted HTML for its registry page, from the language's own lexer
 * (grammar/lexer.ts), so the page colours exactly the tokens the compiler sees, in the kinds the
 * editor grammar (editors/roux.tmLanguage.json) scopes: keywords, strings, numbers with their
 * units, constants, comments. Text the lexer drops stays in, unclassed.
 */
import { tokenMatcher, type TokenType } from "../../grammar/chevrotain.js";
import { lex } from "../../grammar/lexer.js";
import * as T from "../../grammar/tokens.js";
import { escapeHtml } from "./html.js";

const CLASSES: readonly [TokenType, string][] = [
  [T.StringLiteral, "string"],
  [T.NumberLiteral, "number"],
  [T.Percent, "number"],
  [T.True, "constant"],
  [T.False, "constant"],
  ...[T.Recipe, T.Use, T.As, T.Let, T.Model, T.Data, T.Reward, T.Stage, T.Run, T.With].map((t): [TokenType, string] => [t, "keyword"]),
  [T.Identifier, "name"],
];

export function highlight(source: string): string {
  const { tokens, comments } = lex(source, "highlight");
  const pieces = [
    ...comments.map((c) => ({ start: c.span.start.offset, end: c.span.end.offset, kind: "comment" })),
    ...tokens.map((t) => ({
      start: t.startOffset,
      end: t.startOffset + t.image.length,
      kind: CLASSES.find(([type]) => tokenMatcher(t, type))?.[1] ?? "punctuation",
    })),
  ].sort((a, b) => a.start - b.start);
  let html = "";
  let at = 0;
  for (const piece of pieces) {
    html += escapeHtml(source.slice(at, piece.start));
    html += `<span class="tok-${piece.kind}">${escapeHtml(source.slice(piece.start, piece.end))}</span>`;
    at = piece.end;
  }
  return html + escapeHtml(source.slice(at));
}
