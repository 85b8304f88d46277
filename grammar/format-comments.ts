/**
 * Where the formatter prints each comment. The AST keeps comments apart from the tree
 * (`RecipeFile.comments`), so they are placed from spans alone, relative to the sequences the
 * formatter prints one entry per line: the file's items, a block's fields, a call's arguments and
 * a list's elements ("containers" of "elements"). A comment between two elements of a container
 * is trailing (same line as the previous element), opening (on the line of the opening delimiter,
 * before the first element), leading (before the next element) or closing (after the last one).
 * A comment inside an element but in no nested container (`a + /* x *\/ b`) has no place of its
 * own and is moved before that element.
 */
import { LineIndex } from "../diagnostics/span.js";
import type * as A from "./ast.js";
import { chainLinks } from "./chain.js";

/** One entry of a container: the header, an item, a field, an argument, a list element, a variant or a setting. */
export type Element = A.Header | A.Item | A.Field | A.Arg | A.Expr | A.Variant | A.Override;

/** A delimited sequence of elements: the whole file, a block, a list or a call's arguments. */
export interface Container {
  elements: readonly Element[];
  /** Source offsets just inside the delimiters (the whole text for the file). */
  start: number;
  end: number;
  /** Lines of the opening and closing delimiters; undefined for the file. */
  openLine?: number;
  closeLine?: number;
}

export type ContainerNode = A.RecipeFile | A.BlockExpr | A.ListExpr | A.CallExpr | A.VariantList | A.SettingsBlock;

export type Slot = "leading" | "moved" | "trailing" | "opening" | "closing";

export class CommentPlacement {
  private readonly containerOf = new Map<ContainerNode, Container>();
  /** For each element, the containers directly inside it (not inside one of those). */
  private readonly innerOf = new Map<Element, Container[]>();
  private readonly placed = new Map<Element | Container, Partial<Record<Slot, A.Comment[]>>>();
  private readonly commentAt = new Map<number, A.Comment>();
  private readonly lines: LineIndex;

  constructor(
    private readonly file: A.RecipeFile,
    private readonly source: string,
  ) {
    this.lines = new LineIndex(source);
    // Without comments there is nothing to place: each container is measured when the formatter
    // asks for it, and walking the tree to register them all would be wasted (the recipe hash
    // formats every module, so this is on the path of every check).
    if (file.comments.length === 0) return;
    for (const comment of file.comments) this.commentAt.set(comment.span.start.offset, comment);
    const root = this.register(file);
    for (const comment of file.comments) this.place(comment, root);
  }

  container(node: ContainerNode): Container {
    return this.containerOf.get(node) ?? this.measure(node);
  }

  /** The comments printed in `slot` of an element (leading, moved, trailing) or container (opening, closing). */
  get(node: Element | Container, slot: Slot): readonly A.Comment[] {
    return this.placed.get(node)?.[slot] ?? [];
  }

  /** Whether any comment lies between the container's delimiters, however deep. */
  hasComments(container: Container): boolean {
    return this.file.comments.some((c) => container.start <= c.span.start.offset && c.span.end.offset <= container.end);
  }

  private register(node: ContainerNode): Container {
    const container = this.measure(node);
    this.containerOf.set(node, container);
    for (const element of container.elements) this.innerOf.set(element, this.innerContainers(element));
    return container;
  }

  /** A container's elements, the offsets just inside its delimiters and the lines of those delimiters. */
  private measure(node: ContainerNode): Container {
    switch (node.kind) {
      case "file":
        return { elements: node.header ? [node.header, ...node.items] : node.items, start: 0, end: this.source.length };
      case "block":
        return this.delimited(node, node.fields);
      case "list":
        return this.delimited(node, node.items);
      case "variantList":
        return this.delimited(node, node.variants);
      case "settings":
        return this.delimited(node, node.settings);
      case "call": {
        const open = this.openParen(node);
        return { elements: node.args, start: open + 1, end: node.span.end.offset - 1, openLine: this.lines.position(open).line, closeLine: node.span.end.line };
      }
    }
  }

  private innerContainers(element: Element): Container[] {
    // The sweep items' containers are not expressions: registered here, before the walk of one.
    switch (element.kind) {
      case "sweep":
        return [this.register(element.block)];
      case "variants":
        return [this.register(element.list)];
      case "variant":
        return element.settings ? [this.register(element.settings)] : [];
    }
    const found: Container[] = [];
    const visit = (expr: A.Expr): void => {
      switch (expr.kind) {
        case "block":
        case "list":
          found.push(this.register(expr));
          break;
        case "call":
          visit(expr.callee);
          found.push(this.register(expr));
          break;
        case "blockCall":
          visit(expr.callee);
          visit(expr.block);
          break;
        case "with":
          visit(expr.base);
          visit(expr.block);
          break;
        case "member":
          visit(expr.object);
          break;
        case "paren":
          visit(expr.expr);
          break;
        case "unary":
          visit(expr.operand);
          break;
        case "binary": {
          // Left to right along the chain, in a loop rather than recursion into `left` (chain.ts).
          const links = chainLinks(expr, () => true);
          visit(links[0]!.left);
          for (const link of links) visit(link.right);
          break;
        }
      }
    };
    const expr = expressionOf(element);
    if (expr !== undefined) visit(expr);
    return found;
  }

  /** A block, list, variant list or settings block: its span runs from the opening to the closing delimiter. */
  private delimited(node: A.BlockExpr | A.ListExpr | A.VariantList | A.SettingsBlock, elements: readonly Element[]): Container {
    const { start, end } = node.span;
    return { elements, start: start.offset + 1, end: end.offset - 1, openLine: start.line, closeLine: end.line };
  }

  /** A call's span starts at its callee; its `(` is the first character after it that is not space or comment. */
  private openParen(call: A.CallExpr): number {
    let offset = call.callee.span.end.offset;
    while (offset < this.source.length && this.source[offset] !== "(") {
      offset = this.commentAt.get(offset)?.span.end.offset ?? offset + 1;
    }
    return offset;
  }

  private place(comment: A.Comment, container: Container): void {
    const { start, end } = comment.span;
    const owner = container.elements.find((e) => e.span.start.offset <= start.offset && end.offset <= e.span.end.offset);
    if (owner !== undefined) {
      const inner = this.innerOf.get(owner)?.find((c) => c.start <= start.offset && end.offset <= c.end);
      if (inner !== undefined) this.place(comment, inner);
      else this.add(owner, "moved", comment);
      return;
    }
    const nextIndex = container.elements.findIndex((e) => e.span.start.offset >= end.offset);
    const next = nextIndex < 0 ? undefined : container.elements[nextIndex];
    const previous = container.elements[(nextIndex < 0 ? container.elements.length : nextIndex) - 1];
    if (previous !== undefined && previous.span.end.line === start.line) this.add(previous, "trailing", comment);
    else if (previous === undefined && container.openLine === start.line) this.add(container, "opening", comment);
    else if (next !== undefined) this.add(next, "leading", comment);
    else this.add(container, "closing", comment);
  }

  private add(node: Element | Container, slot: Slot, comment: A.Comment): void {
    const slots = this.placed.get(node) ?? {};
    const comments = slots[slot] ?? [];
    comments.push(comment);
    slots[slot] = comments;
    this.placed.set(node, slots);
  }
}

/** The expression an element prints after its keyword and name, if any. */
function expressionOf(element: Element): A.Expr | undefined {
  switch (element.kind) {
    case "header":
    case "use":
      return undefined;
    case "run":
      return element.block;
    case "let":
    case "model":
    case "data":
    case "stage":
    case "reward":
    case "field":
    case "arg":
    case "override":
      return element.value;
    case "sweep":
    case "variants":
    case "variant":
      return undefined;
    default:
      return element;
  }
}
