/**
 * Turns source text into tokens and comments, reporting every lexical problem (E0001 for a
 * character no token starts with, E0002 for unterminated strings and comments, E0003 for
 * malformed numbers) without stopping: the parser still gets a token stream it can work on.
 */
import { Lexer, type IToken, type TokenType } from "./chevrotain.js";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { LineIndex, type Span } from "../diagnostics/span.js";
import type { Comment } from "./ast.js";
import { decodeNumber, decodeString } from "./literals.js";
import { scanCommon } from "./scan.js";
import * as T from "./tokens.js";

// Start positions only: spans come from offsets through the LineIndex, and the parser's one use
// of lines compares where a unit starts with where its number does (grammar/parser.ts atUnit).
// End positions would cost three more fields on every token of a file of any size.
//
// `validate` runs chevrotain's checks of the token definitions themselves (patterns that can
// never match, or match the empty string). They find mistakes in tokens.ts, never in a recipe,
// and cost every start-up about ten milliseconds (docs/architecture.md "Start-up"), so the lexer
// every lex uses skips them and grammar/definitions.test.ts runs them.
export function createLexer(validate: boolean): InstanceType<typeof Lexer> {
  return new Lexer(T.ALL_TOKENS, { ensureOptimizations: true, positionTracking: "onlyStart", skipValidations: !validate });
}

// Built on first use: the hand-written scanner (scan.ts) lexes nearly every recipe by itself, and
// building chevrotain's lexer (analysing every token pattern) costs a cold `roux check` of such a
// recipe about a tenth of its start-up for nothing (docs/architecture.md "Start-up").
let lexer: InstanceType<typeof Lexer> | undefined;

export interface LexResult {
  tokens: IToken[];
  comments: Comment[];
  diagnostics: Diagnostic[];
  /** Where the lexer skipped characters no token starts with. */
  dropped: Span[];
  lines: LineIndex;
}

const UNTERMINATED: ReadonlyMap<TokenType, { what: string; help: string }> = new Map([
  [T.UnterminatedString, { what: "string", help: 'close the string with `"` before the end of the line, or use `"""` for text over several lines' }],
  [T.UnterminatedRawString, { what: "raw string", help: 'close the raw string with `"` before the end of the line' }],
  [T.UnterminatedMultilineString, { what: "multi-line string", help: 'close the string with `"""`' }],
  [T.UnterminatedComment, { what: "block comment", help: "close the comment with `*/`" }],
]);

export function isUnterminated(token: IToken): boolean {
  return UNTERMINATED.has(token.tokenType);
}

/** The common case by hand (scan.ts), anything else by chevrotain's lexer. */
function tokenize(text: string): { tokens: IToken[]; groups: { comments?: IToken[] }; errors: { offset: number; length: number }[] } {
  const scanned = scanCommon(text);
  if (scanned === undefined) {
    lexer ??= createLexer(false);
    return lexer.tokenize(text);
  }
  return { tokens: scanned.tokens, groups: { comments: scanned.comments }, errors: [] };
}

export function lex(text: string, file: string): LexResult {
  const lines = new LineIndex(text);
  const result = tokenize(text);
  const diagnostics: Diagnostic[] = [];
  const spanOf = (start: number, length: number) => lines.span(file, start, start + length);

  const dropped = result.errors.map((error) => spanOf(error.offset, error.length));
  for (const span of dropped) {
    const found = text.slice(span.start.offset, span.end.offset);
    diagnostics.push(
      diagnostic("E0001", { expected: "a name, number, string or punctuation", found: quote(found) }, span, {
        label: "no token starts with this",
      }),
    );
  }

  const comments: Comment[] = [];
  for (const token of result.groups.comments ?? []) {
    if (token.tokenType === T.HashComment) {
      diagnostics.push(
        diagnostic("E0001", { expected: "`//` to start a comment", found: "`#`" }, spanOf(token.startOffset, 1), {
          label: "comments start with `//`",
          help: `write \`//${token.image.slice(1)}\``,
        }),
      );
    }
    comments.push({
      text: token.image,
      span: spanOf(token.startOffset, token.image.length),
      style: token.tokenType === T.LineComment ? "line" : "block",
    });
    checkUnterminated(token);
  }

  for (const token of result.tokens) {
    checkUnterminated(token);
    if (token.tokenType === T.NumberLiteral || token.tokenType === T.Percent) {
      const digits = token.tokenType === T.Percent ? token.image.slice(0, -1) : token.image;
      const decoded = decodeNumber(digits);
      if (!decoded.ok) {
        diagnostics.push(
          diagnostic("E0003", { text: token.image, reason: decoded.reason }, spanOf(token.startOffset, token.image.length), {
            help: decoded.help,
          }),
        );
      }
    } else if (token.tokenType === T.PlainString || token.tokenType === T.MultilineString) {
      for (const problem of decodeString(token.image).problems) {
        diagnostics.push(
          diagnostic(
            "E0001",
            { expected: 'an escape (`\\n`, `\\t`, `\\"`, `\\\\` or `\\u{HEX}`)', found: quote(problem.found) },
            spanOf(token.startOffset + problem.offset, problem.length),
            {
              label: "unknown escape",
              help: 'for regular expressions use a raw string: r"..."',
            },
          ),
        );
      }
    }
  }

  function checkUnterminated(token: IToken): void {
    const info = UNTERMINATED.get(token.tokenType);
    if (info === undefined) return;
    diagnostics.push(
      diagnostic("E0002", { what: info.what }, spanOf(token.startOffset, Math.min(token.image.length, 3)), {
        label: `this ${info.what} is never closed`,
        help: info.help,
      }),
    );
  }

  return { tokens: result.tokens, comments, diagnostics, dropped, lines };
}

/** Shows source text in a message: backquoted, with control characters made visible as escapes. */
export function quote(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching the control characters is the point: each is shown as an escape
  const visible = text.replace(/[\u0000-\u001f\u007f]/g, (ch) => {
    if (ch === "\n") return "\\n";
    if (ch === "\t") return "\\t";
    return `\\u{${ch.charCodeAt(0).toString(16)}}`;
  });
  return `\`${visible}\``;
}
