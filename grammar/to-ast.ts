/**
 * The CST → AST visitor. After error recovery a CST node may lack children or carry NaN
 * locations, so every access here tolerates a missing piece: a missing expression becomes an
 * `ErrorExpr`, a missing name an empty identifier. Those only ever appear in a file that also
 * has a syntax diagnostic.
 */
import type { CstElement, CstNode, IToken } from "./chevrotain.js";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { closest, didYouMean } from "../diagnostics/suggest.js";
import { joinSpans, type LineIndex, type Span } from "../diagnostics/span.js";
import type * as A from "./ast.js";
import { GRANULARITIES, UNITS, type Granularity, type Unit } from "./ast.js";
import { decodeNumber, decodeString, stringStyle } from "./literals.js";
import { isUnterminated, quote } from "./lexer.js";
import * as T from "./tokens.js";

export type Children = Record<string, CstElement[] | undefined>;

function isToken(element: CstElement | undefined): element is IToken {
  return element !== undefined && "image" in element;
}

/** Every grammar rule of grammar/parser.ts has a method of that name here that builds its node. */
type RuleMethod = (ctx: Children, param?: unknown) => unknown;

export class AstBuilder {
  /** Where a node with no usable location is placed: just after the last thing built. */
  private lastOffset = 0;
  /** Problems the grammar leaves to the builder: contextual words in the wrong place. */
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly fileName: string,
    private readonly lines: LineIndex,
  ) {}

  /** The AST of a CST node, by the method named for its rule (chevrotain's visitor costs more per node). */
  visit(node: CstNode, param?: unknown): unknown {
    return ((this as unknown as Record<string, RuleMethod>)[node.name] as RuleMethod).call(this, node.children, param);
  }

  // ---- helpers -------------------------------------------------------------------------

  protected tokenSpan(token: IToken): Span {
    if (!Number.isFinite(token.startOffset)) return this.placeholderSpan();
    this.lastOffset = token.startOffset + token.image.length;
    return this.lines.span(this.fileName, token.startOffset, this.lastOffset);
  }

  protected placeholderSpan(): Span {
    return this.lines.span(this.fileName, this.lastOffset, this.lastOffset);
  }

  protected token(ctx: Children, key: string, index = 0): IToken | undefined {
    const element = ctx[key]?.[index];
    return isToken(element) && !element.isInsertedInRecovery ? element : undefined;
  }

  protected node(ctx: Children, key: string, index = 0): CstNode | undefined {
    const element = ctx[key]?.[index];
    return element !== undefined && !isToken(element) ? element : undefined;
  }

  protected nodes(ctx: Children, key: string): CstNode[] {
    return (ctx[key] ?? []).filter((e): e is CstNode => !isToken(e));
  }

  protected tokens(ctx: Children, key: string): IToken[] {
    return (ctx[key] ?? []).filter(isToken);
  }

  protected ident(token: IToken | undefined): A.Ident {
    if (token === undefined) return { kind: "ident", name: "", span: this.placeholderSpan() };
    return { kind: "ident", name: token.image, span: this.tokenSpan(token) };
  }

  /**
   * A name a declaration or import introduces. The grammar accepts any word there so that a
   * reserved one (`data`, `run`) is one clear diagnostic instead of a cascade of syntax errors.
   */
  protected declaredName(token: IToken | undefined): A.Ident {
    const ident = this.ident(token);
    if (token && T.RESERVED_WORDS.includes(token.image)) {
      this.diagnostics.push(
        diagnostic("E0001", { expected: "a name", found: `the reserved word \`${token.image}\`` }, ident.span, {
          label: "reserved",
          help: `choose another name, e.g. \`${token.image}_\` or a more specific one`,
        }),
      );
    }
    return ident;
  }

  private expression(node: CstNode | undefined): A.Expr {
    if (node === undefined) return { kind: "error", span: this.placeholderSpan() };
    return this.visit(node) as A.Expr;
  }

  protected stringLit(token: IToken | undefined): A.StringLit {
    if (token === undefined) return { kind: "string", value: "", style: "plain", text: '""', span: this.placeholderSpan() };
    return {
      kind: "string",
      value: decodeString(token.image, !isUnterminated(token)).value,
      style: stringStyle(token.image),
      text: token.image,
      span: this.tokenSpan(token),
    };
  }

  /** Folds `first (op operand)*` left-associatively; ops and operands are paired in order. */
  private leftFold(first: A.Expr, ops: IToken[], rest: A.Expr[]): A.Expr {
    return rest.reduce<A.Expr>((left, right, i) => {
      const op = (ops[i]?.image ?? "+") as A.BinaryOp;
      return { kind: "binary", op, left, right, span: joinSpans(left.span, right.span) };
    }, first);
  }

  private binaryChain(ctx: Children, operandKey: string, opKey: string): A.Expr {
    // A lone operand passes straight through each precedence level: no arrays or fold for it.
    const operands = ctx[operandKey];
    if (operands?.length === 1 && ctx[opKey] === undefined) return this.expression(this.node(ctx, operandKey));
    const [first, ...rest] = this.nodes(ctx, operandKey).map((n) => this.expression(n));
    if (first === undefined) return this.expression(undefined);
    return this.leftFold(first, this.tokens(ctx, opKey), rest);
  }

  // ---- rules ---------------------------------------------------------------------------

  /** The header and items are built from their CSTs one at a time, as the parser finishes each (grammar/parse.ts). */
  file(_ctx: Children, top: Pick<A.RecipeFile, "header" | "items" | "comments">): A.RecipeFile {
    return { kind: "file", header: top.header, items: top.items, comments: top.comments, span: this.lines.span(this.fileName, 0, this.lines.text.length) };
  }

  header(ctx: Children): A.Header {
    const stringToken = this.token(ctx, "StringLiteral");
    const keyword = this.token(ctx, "sweep") ? "sweep" : "recipe";
    const name = this.ident(this.token(ctx, "Identifier"));
    return { kind: "header", keyword, name, description: stringToken ? this.stringLit(stringToken) : undefined, span: this.extent(ctx) };
  }

  item(ctx: Children): A.Item | undefined {
    for (const key in ctx) {
      const inner = ctx[key]?.[0];
      if (inner !== undefined) return isToken(inner) ? undefined : (this.visit(inner) as A.Item);
    }
    return undefined;
  }

  useItem(ctx: Children): A.UseItem {
    const span = this.extent(ctx);
    const hashToken = this.token(ctx, "sha256");
    return {
      kind: "use",
      path: this.stringLit(this.token(ctx, "StringLiteral")),
      sha256: hashToken ? this.stringLit(hashToken) : undefined,
      alias: this.declaredName(this.token(ctx, "alias")),
      span,
    };
  }

  letItem(ctx: Children): A.LetItem {
    const typeNode = this.node(ctx, "typeRef");
    const name = this.declaredName(this.token(ctx, "declared"));
    const type = typeNode ? (this.visit(typeNode) as A.TypeRef) : undefined;
    const value = this.expression(this.node(ctx, "expr"));
    return { kind: "let", name, type, value, span: this.extent(ctx, value.span) };
  }

  declItem(ctx: Children): A.DeclItem {
    const kind = this.token(ctx, "Model") ? "model" : this.token(ctx, "Data") ? "data" : "stage";
    const name = this.declaredName(this.token(ctx, "declared"));
    const value = this.expression(this.node(ctx, "expr"));
    return { kind, name, value, span: this.extent(ctx, value.span) };
  }

  rewardItem(ctx: Children): A.RewardItem {
    const granularityToken = this.token(ctx, "granularity");
    const name = this.declaredName(this.token(ctx, "declared"));
    const granularitySpan = granularityToken ? this.tokenSpan(granularityToken) : this.placeholderSpan();
    const known = GRANULARITIES.includes(granularityToken?.image as Granularity);
    if (granularityToken && !known) {
      this.diagnostics.push(
        diagnostic("E0001", { expected: "`outcome`, `process` or `token`", found: quote(granularityToken.image) }, granularitySpan, {
          label: "not a reward granularity",
          help: "a reward gives one value per response (`outcome`), per step (`process`) or per token (`token`)",
        }),
      );
    }
    // "outcome" stands in for an unknown word (already reported) so the AST stays well typed.
    const granularity = { name: (known ? granularityToken?.image : "outcome") as Granularity, span: granularitySpan };
    const value = this.expression(this.node(ctx, "expr"));
    return { kind: "reward", name, granularity, value, span: this.extent(ctx, value.span) };
  }

  runItem(ctx: Children): A.RunItem {
    const block = this.blockOf(this.node(ctx, "block"));
    return { kind: "run", block, span: this.extent(ctx, block.span) };
  }

  typeRef(ctx: Children): A.TypeRef {
    const name = this.ident(this.token(ctx, "Identifier"));
    const args = this.nodes(ctx, "typeRef").map((n) => this.visit(n) as A.TypeRef);
    return { kind: "type", name, args, span: this.extent(ctx, ...outermost(args)) };
  }

  expr(ctx: Children): A.Expr {
    return this.binaryChain(ctx, "pipe", "Arrow");
  }

  pipe(ctx: Children): A.Expr {
    const first = this.expression(this.node(ctx, "range"));
    if (ctx.postfix === undefined && ctx.PipeOp === undefined) return first;
    const stages = this.nodes(ctx, "postfix").map((n) => this.expression(n));
    return this.leftFold(first, this.tokens(ctx, "PipeOp"), stages);
  }

  range(ctx: Children): A.Expr {
    return this.binaryChain(ctx, "sum", "DotDot");
  }

  sum(ctx: Children): A.Expr {
    return this.binaryChain(ctx, "product", "AdditiveOp");
  }

  product(ctx: Children): A.Expr {
    return this.binaryChain(ctx, "unary", "MultiplicativeOp");
  }

  unary(ctx: Children): A.Expr {
    const minus = this.token(ctx, "Minus");
    if (minus === undefined) return this.expression(this.node(ctx, "postfix"));
    const minusSpan = this.tokenSpan(minus);
    const operand = this.expression(this.node(ctx, "unary"));
    return { kind: "unary", op: "-", operand, span: joinSpans(minusSpan, operand.span) };
  }

  postfix(ctx: Children): A.Expr {
    let result = this.expression(this.node(ctx, "primary"));
    if (ctx.suffix === undefined) return result;
    for (const suffixNode of this.nodes(ctx, "suffix")) {
      result = (this.visit(suffixNode) as (target: A.Expr) => A.Expr)(result);
    }
    return result;
  }

  /** A suffix becomes a function of the expression it follows, applied left to right by postfix. */
  suffix(ctx: Children): (target: A.Expr) => A.Expr {
    if (ctx.Dot) {
      const end = this.extent(ctx);
      const name = this.ident(this.token(ctx, "Name"));
      return (target) => ({ kind: "member", object: target, name, span: joinSpans(target.span, end) });
    }
    if (ctx.LParen) {
      const argsNode = this.node(ctx, "args");
      const args = argsNode ? (this.visit(argsNode) as A.Arg[]) : [];
      const end = this.extent(ctx, ...outermost(args));
      return (target) => ({ kind: "call", callee: target, args, span: joinSpans(target.span, end) });
    }
    const block = this.blockOf(this.node(ctx, "block"));
    const end = this.extent(ctx, block.span);
    if (ctx.With) return (base) => ({ kind: "with", base, block, span: joinSpans(base.span, end) });
    return (callee) => ({ kind: "blockCall", callee, block, span: joinSpans(callee.span, end) });
  }

  primary(ctx: Children): A.Expr {
    const number = this.token(ctx, "NumberLiteral");
    if (number) return this.numberLit(number, this.token(ctx, "unit"));
    const percent = this.token(ctx, "Percent");
    if (percent) {
      const decoded = decodeNumber(percent.image.slice(0, -1));
      return { kind: "percent", value: decoded.ok ? decoded.value / 100 : NaN, text: percent.image, span: this.tokenSpan(percent) };
    }
    const string = this.token(ctx, "StringLiteral");
    if (string) return this.stringLit(string);
    const bool = this.token(ctx, "True") ?? this.token(ctx, "False");
    if (bool) return { kind: "bool", value: bool.image === "true", span: this.tokenSpan(bool) };
    const identifier = this.token(ctx, "Identifier");
    if (identifier) return this.ident(identifier);
    const list = this.node(ctx, "list");
    if (list) return this.visit(list) as A.Expr;
    const block = this.node(ctx, "block");
    if (block) return this.visit(block) as A.Expr;
    const lparen = this.token(ctx, "LParen");
    if (lparen) {
      const open = this.tokenSpan(lparen);
      const inner = this.expression(this.node(ctx, "expr"));
      const rparen = this.token(ctx, "RParen");
      return { kind: "paren", expr: inner, span: joinSpans(open, rparen ? this.tokenSpan(rparen) : inner.span) };
    }
    return this.expression(undefined);
  }

  private numberLit(token: IToken, unit: IToken | undefined): A.NumberLit {
    const decoded = decodeNumber(token.image);
    const span = this.tokenSpan(token);
    const literal: A.NumberLit = {
      kind: "number",
      value: decoded.ok ? decoded.value : NaN,
      text: token.image,
      integer: decoded.ok ? decoded.integer : false,
      span,
    };
    if (unit) {
      const unitSpan = this.tokenSpan(unit);
      literal.span = joinSpans(span, unitSpan);
      if (UNITS.includes(unit.image as Unit)) {
        literal.unit = { name: unit.image as Unit, span: unitSpan };
      } else {
        const suggestion = closest(unit.image, UNITS);
        this.diagnostics.push(
          diagnostic("E0003", { text: `${token.image} ${unit.image}`, reason: `\`${unit.image}\` is not a unit` }, unitSpan, {
            label: "unknown unit",
            ...(suggestion ? didYouMean(unitSpan, suggestion) : { help: `units are ${UNITS.map((u) => `\`${u}\``).join(", ")}` }),
          }),
        );
      }
    }
    return literal;
  }

  list(ctx: Children): A.ListExpr {
    const items = this.nodes(ctx, "expr").map((n) => this.expression(n));
    return { kind: "list", items, span: this.extent(ctx, ...outermost(items)) };
  }

  private blockOf(node: CstNode | undefined): A.BlockExpr {
    if (node === undefined) return { kind: "block", fields: [], span: this.placeholderSpan() };
    return this.visit(node) as A.BlockExpr;
  }

  block(ctx: Children): A.BlockExpr {
    const fields = this.nodes(ctx, "field").map((n) => this.visit(n) as A.Field);
    return { kind: "block", fields, span: this.extent(ctx, ...outermost(fields)) };
  }

  field(ctx: Children): A.Field {
    const name = this.ident(this.token(ctx, "Name"));
    const value = this.expression(this.node(ctx, "expr"));
    return { kind: "field", name, value, span: joinSpans(name.span, value.span) };
  }

  override(ctx: Children): A.Override {
    const [head, ...rest] = this.tokens(ctx, "Name");
    const path: A.Override["path"] = [this.ident(head), ...rest.map((t) => this.ident(t))];
    const value = this.expression(this.node(ctx, "expr"));
    return { kind: "override", path, value, span: this.extent(ctx, value.span) };
  }

  args(ctx: Children): A.Arg[] {
    return this.nodes(ctx, "arg").map((n) => this.visit(n) as A.Arg);
  }

  arg(ctx: Children): A.Arg {
    const nameToken = this.token(ctx, "Name");
    const name = nameToken ? this.ident(nameToken) : undefined;
    const value = this.expression(this.node(ctx, "expr"));
    return { kind: "arg", name, value, span: name ? joinSpans(name.span, value.span) : value.span };
  }

  /**
   * The span from the first to the last token directly under `ctx`, widened to cover `inner`
   * (the spans of child nodes that may end the construct). Computed from tokens rather than
   * chevrotain's node locations, which cost a third of the parse time and are NaN on nodes
   * built during recovery.
   */
  protected extent(ctx: Children, ...inner: (Span | undefined)[]): Span {
    let start = Infinity;
    let end = -Infinity;
    for (const key in ctx) {
      for (const element of ctx[key] ?? []) {
        if (!isToken(element) || !Number.isFinite(element.startOffset)) continue;
        start = Math.min(start, element.startOffset);
        end = Math.max(end, element.startOffset + element.image.length);
      }
    }
    for (const span of inner) {
      if (span === undefined) continue;
      start = Math.min(start, span.start.offset);
      end = Math.max(end, span.end.offset);
    }
    if (!Number.isFinite(start) || !Number.isFinite(end)) return this.placeholderSpan();
    return this.lines.span(this.fileName, start, end);
  }
}

/**
 * The spans of the first and last of `nodes`, which lie in source order: all that an extent
 * needs of them. Spreading every node's span into a call would exceed the engine's argument
 * limit on a long list (docs/language.md §9 "Nesting").
 */
export function outermost(nodes: readonly A.Node[]): (Span | undefined)[] {
  return [nodes[0]?.span, nodes[nodes.length - 1]?.span];
}
