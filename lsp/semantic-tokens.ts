/**
 * Semantic tokens (the whole document): the lexer's tokens (grammar/lexer.ts), so keywords,
 * strings, numbers, comments and operators are what the compiler reads them as, and each name
 * coloured by what it means: a declaration by its kind (wherever it is used, as the checker
 * resolved the use), an import's alias, a built-in, a field, a type name. Names get their
 * meaning from the document's analysis; text that does not parse still gets its lexical colours.
 */
import type { SemanticTokens, SemanticTokensLegend } from "vscode-languageserver";
import { lookupBuiltin } from "../compiler/builtins/table.js";
import type { DeclKind } from "../compiler/check/scope.js";
import type { IToken, TokenType } from "../grammar/chevrotain.js";
import { lex } from "../grammar/lexer.js";
import * as T from "../grammar/tokens.js";
import type { Analysis } from "./analysis.js";
import { type AstNode, children } from "./node-at.js";

const TYPES = [
  "keyword",
  "string",
  "number",
  "comment",
  "operator",
  "namespace",
  "type",
  "variable",
  "class",
  "struct",
  "function",
  "event",
  "property",
  "parameter",
] as const;
const MODIFIERS = ["declaration", "readonly", "defaultLibrary"] as const;
type TokenKind = (typeof TYPES)[number];
type Modifier = (typeof MODIFIERS)[number];

export const SEMANTIC_LEGEND: SemanticTokensLegend = { tokenTypes: [...TYPES], tokenModifiers: [...MODIFIERS] };

/** How each kind of declaration is coloured: the closest of the protocol's standard token types. */
const DECLARATION_TYPES: Readonly<Record<DeclKind, TokenKind>> = {
  let: "variable",
  model: "class",
  data: "struct",
  reward: "function",
  stage: "event",
};

const KEYWORDS = new Set<TokenType>([T.Recipe, T.Use, T.As, T.Let, T.Model, T.Data, T.Reward, T.Stage, T.Run, T.With, T.True, T.False]);
const STRINGS = new Set<TokenType>([
  T.MultilineString,
  T.UnterminatedMultilineString,
  T.RawString,
  T.UnterminatedRawString,
  T.PlainString,
  T.UnterminatedString,
]);
const NUMBERS = new Set<TokenType>([T.NumberLiteral, T.Percent]);
const OPERATORS = new Set<TokenType>([T.Arrow, T.PipeOp, T.DotDot, T.Plus, T.Minus, T.Star, T.Slash]);

interface Role {
  type: TokenKind;
  modifiers: Modifier[];
}

function lexical(token: IToken): TokenKind | undefined {
  if (KEYWORDS.has(token.tokenType)) return "keyword";
  if (STRINGS.has(token.tokenType)) return "string";
  if (NUMBERS.has(token.tokenType)) return "number";
  if (OPERATORS.has(token.tokenType)) return "operator";
  return undefined;
}

/** What each name of the document means, by its start offset: from the syntax tree and the checker's resolved names. */
function nameRoles(analysis: Analysis): Map<number, Role> {
  const roles = new Map<number, Role>();
  const program = analysis.program;
  const root = program?.root;
  if (program === undefined || root === undefined) return roles;
  // Every declaration of the program, by where its name is: what a resolved name refers to.
  const kinds = new Map<string, { kind: DeclKind; library: boolean }>();
  for (const module of program.modules.values()) {
    const library = module.specifier.startsWith("std/") || module.specifier.startsWith("registry:");
    for (const d of module.result?.declarations.values() ?? []) kinds.set(`${d.nameSpan.file}#${d.nameSpan.start.offset}`, { kind: d.kind, library });
  }
  for (const reference of root.result?.references ?? []) {
    const target = kinds.get(`${reference.declaration.file}#${reference.declaration.start.offset}`);
    if (target) roles.set(reference.at.start.offset, { type: DECLARATION_TYPES[target.kind], modifiers: target.library ? ["defaultLibrary"] : [] });
  }
  const aliases = new Set(root.ast.items.flatMap((item) => (item.kind === "use" ? [item.alias.name] : [])));
  const stack: (AstNode | undefined)[] = [...root.ast.items];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === undefined) continue;
    stack.push(...children(node));
    switch (node.kind) {
      case "let":
      case "model":
      case "data":
      case "stage":
      case "reward":
        roles.set(node.name.span.start.offset, {
          type: DECLARATION_TYPES[node.kind],
          modifiers: ["declaration", ...(node.kind === "let" ? (["readonly"] as const) : [])],
        });
        break;
      case "use":
        roles.set(node.alias.span.start.offset, { type: "namespace", modifiers: ["declaration"] });
        break;
      case "field":
        roles.set(node.name.span.start.offset, { type: "property", modifiers: [] });
        break;
      case "arg":
        if (node.name) roles.set(node.name.span.start.offset, { type: "parameter", modifiers: [] });
        break;
      case "type":
        roles.set(node.name.span.start.offset, { type: "type", modifiers: [] });
        break;
      case "member": {
        const object = node.object;
        if (object.kind === "ident" && aliases.has(object.name)) roles.set(object.span.start.offset, { type: "namespace", modifiers: [] });
        break;
      }
      case "number":
        if (node.unit) roles.set(node.unit.span.start.offset, { type: "keyword", modifiers: [] });
        break;
    }
  }
  return roles;
}

export function semanticTokens(analysis: Analysis): SemanticTokens {
  const { tokens, comments } = lex(analysis.text, analysis.file);
  const roles = nameRoles(analysis);
  const entries: { offset: number; text: string; role: Role }[] = comments.map((c) => ({
    offset: c.span.start.offset,
    text: c.text,
    role: { type: "comment", modifiers: [] },
  }));
  for (const token of tokens) {
    const type = lexical(token);
    if (type) {
      entries.push({ offset: token.startOffset, text: token.image, role: { type, modifiers: [] } });
      continue;
    }
    if (token.tokenType !== T.Identifier) continue;
    const role =
      roles.get(token.startOffset) ?? (lookupBuiltin(token.image) ? { type: "function" as const, modifiers: ["defaultLibrary" as const] } : undefined);
    entries.push({ offset: token.startOffset, text: token.image, role: role ?? { type: "variable", modifiers: [] } });
  }
  entries.sort((a, b) => a.offset - b.offset);
  return { data: encode(analysis, entries) };
}

/** The protocol's relative encoding, each token split at line breaks (editors need not take tokens over several lines). */
function encode(analysis: Analysis, entries: { offset: number; text: string; role: Role }[]): number[] {
  const ranges = analysis.rangesOf(analysis.file);
  const data: number[] = [];
  let [lastLine, lastChar] = [0, 0];
  for (const { offset, text, role } of entries) {
    const start = ranges.position(offset);
    const modifiers = role.modifiers.reduce((bits, m) => bits | (1 << MODIFIERS.indexOf(m)), 0);
    text.split(/\r\n|\r|\n/).forEach((piece, i) => {
      const line = start.line + i;
      const char = i === 0 ? start.character : 0;
      if (piece.length > 0) {
        data.push(line - lastLine, line === lastLine ? char - lastChar : char, piece.length, TYPES.indexOf(role.type), modifiers);
        [lastLine, lastChar] = [line, char];
      }
    });
  }
  return data;
}
