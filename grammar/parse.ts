/**
 * The front end's entry point: source text to AST plus the lexical and syntax diagnostics, at
 * most `MAX_PER_FILE` of them built and the rest counted (docs/language.md §7 "Long output").
 * It never throws on any input; a file with errors still yields a (partial) AST, and a file
 * nested too deep for the passes after it (nesting.ts) an empty one.
 */
import { EOF, type CstNode, type IRecognitionException, type IToken } from "./chevrotain.js";
import { MAX_PER_FILE } from "../diagnostics/cap.js";
import { diagnostic, sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { LineIndex, Span } from "../diagnostics/span.js";
import type { Header, Item, Override, RecipeFile } from "./ast.js";
import { lex, quote } from "./lexer.js";
import { nestingTooDeep } from "./nesting.js";
import { parseTokens } from "./parser.js";
import { RecipeAstBuilder } from "./to-ast-sweep.js";

export interface ParseResult {
  ast: RecipeFile;
  diagnostics: Diagnostic[];
  lines: LineIndex;
}

export function parse(text: string, file: string): ParseResult {
  const { node, diagnostics, lines } = parseWith("file", text, file);
  return { ast: node as RecipeFile, diagnostics, lines };
}

/** Parses `PATH=VALUE` of a `--set` option; `file` names the option in diagnostics. */
export function parseOverride(text: string, file: string): { override: Override; diagnostics: Diagnostic[] } {
  const { node, diagnostics } = parseWith("override", text, file);
  return { override: node as Override, diagnostics };
}

function parseWith(entry: "file" | "override", text: string, file: string) {
  const lexed = lex(text, file);
  const { lines } = lexed;
  const tooDeep = nestingTooDeep(lexed.tokens, lines, file);
  if (tooDeep !== undefined) {
    const span = lines.span(file, 0, text.length);
    const node: RecipeFile | Override =
      entry === "file"
        ? { kind: "file", items: [], comments: lexed.comments, span }
        : { kind: "override", path: [{ kind: "ident", name: "", span }], value: { kind: "error", span }, span };
    return { node, diagnostics: capped(sortDiagnostics([...lexed.diagnostics, tooDeep])), lines };
  }
  const builder = new RecipeAstBuilder(file, lines);
  // Each top-level item's AST is built as soon as it is parsed, so its CST (and the tokens before
  // it) are garbage while the rest is parsed: memory grows with the AST alone, and a large
  // recipe's check is not slowed by collecting a whole file's CST (docs/architecture.md
  // "Conventions"; grammar/README.md "One item at a time").
  const top: Pick<RecipeFile, "header" | "items" | "comments"> = { items: [], comments: lexed.comments };
  const addTopLevel = (cst: CstNode) => {
    const built = builder.visit(cst) as Header | Item | undefined;
    if (built?.kind === "header") top.header = built;
    else if (built !== undefined) top.items.push(built);
  };
  const { cst, errors } = parseTokens(lexed.tokens, entry, entry === "file" ? addTopLevel : undefined);
  const syntax = errors.map((error) => syntaxDiagnostic(error, lines, file));
  const node: unknown = builder.visit(cst, top);
  const diagnostics = dropFollowOnErrors(lexed.diagnostics, lexed.dropped, [...syntax, ...builder.diagnostics]);
  return { node, diagnostics: capped(diagnostics), lines };
}

/**
 * The first `MAX_PER_FILE` diagnostics; the last one kept counts the rest (`more`), so a file of
 * garbage costs the passes and renderers after the front end no more than a hundred, and the
 * summary still counts every error.
 */
function capped(diagnostics: Diagnostic[]): Diagnostic[] {
  if (diagnostics.length <= MAX_PER_FILE) return diagnostics;
  const kept = diagnostics.slice(0, MAX_PER_FILE);
  kept[MAX_PER_FILE - 1] = { ...kept[MAX_PER_FILE - 1]!, more: diagnostics.length - MAX_PER_FILE };
  return kept;
}

function syntaxDiagnostic(error: IRecognitionException, lines: LineIndex, file: string): Diagnostic {
  const token = error.token;
  const atEnd = token.tokenType === EOF || !Number.isFinite(token.startOffset);
  const span = atEnd ? endOfInput(error, lines, file) : lines.span(file, token.startOffset, token.startOffset + token.image.length);
  return diagnostic("E0001", { expected: error.message, found: atEnd ? "end of file" : quote(token.image) }, span, {
    label: atEnd ? "the file ends here" : "unexpected here",
  });
}

/** A zero-width span just past the last real token (where the missing piece should go). */
function endOfInput(error: IRecognitionException, lines: LineIndex, file: string): Span {
  const previous: IToken | undefined = (error as { previousToken?: IToken }).previousToken;
  const offset = previous && Number.isFinite(previous.startOffset) ? previous.startOffset + previous.image.length : lines.text.length;
  return lines.span(file, offset, offset);
}

/**
 * One mistake, one diagnostic. Recovery can report several errors at the same token: the first
 * is kept, and a lexical error wins over a syntax error at its place. A character the lexer
 * dropped leaves the rest of its line unparseable (`2 ^ 3` reads as `2 3`), so syntax errors
 * later on that line are consequences, not news.
 */
function dropFollowOnErrors(lexical: Diagnostic[], dropped: Span[], syntax: Diagnostic[]): Diagnostic[] {
  const seen = new Set(lexical.map((d) => d.span.start.offset));
  const droppedCharacterAt = new Map<number, number>();
  for (const { start } of dropped) {
    droppedCharacterAt.set(start.line, Math.min(start.column, droppedCharacterAt.get(start.line) ?? Infinity));
  }
  const kept = syntax.filter((d) => {
    if (seen.has(d.span.start.offset)) return false;
    seen.add(d.span.start.offset);
    return !(d.span.start.column > (droppedCharacterAt.get(d.span.start.line) ?? Infinity));
  });
  return sortDiagnostics([...lexical, ...kept]);
}
