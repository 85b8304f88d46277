/**
 * `roux fmt`: prints a parsed recipe in the canonical layout. The layout, and why:
 *
 * - 2-space indentation; single spaces around `=`, `+ - * /`, `->` and `|>`; `..` tight (`2..4`);
 *   `reward name : granularity` (as docs/language.md writes it) but `let name: Type`; `f(a, b = 1)`;
 *   `[a, b]`; literals exactly as written (`1_000`, `3e-4`, `"""` strings with their inner lines
 *   untouched), parentheses as written. No column alignment: aligning makes one edit reflow its
 *   neighbours, which is noise in a diff.
 * - The header, then one blank line. Items (and fields, arguments, list elements, comments) in
 *   source order, one blank line where the source had at least one, none otherwise.
 * - Blocks, argument lists and lists are printed inline (`{ a = 1, b = 2 }`, `f(a, b)`, `[a, b]`)
 *   when the source had them on one line, they hold no comment and they fit in 100 columns;
 *   otherwise one entry per line: blocks without commas, arguments and list elements with a
 *   trailing comma, closing delimiter on its own line. Keeping the writer's choice of one line or
 *   several (as gofmt does) lets short stage bodies stay tall and short records stay flat.
 * - Every comment is kept, text unchanged except trailing whitespace. Own-line comments before an
 *   entry stay before it, at its indentation; a comment after an entry on its line stays there,
 *   two spaces after it; a comment after `{`, `(` or `[` on its line stays there; comments after
 *   the last entry stay before the closing delimiter (or at the end of the file). A comment inside
 *   an expression (`a + /* x *\/ b`) has no such place and moves before its item, field, argument
 *   or list element (see format-comments.ts). A line comment ends its line, so anything holding a
 *   comment is printed one entry per line.
 *
 * The output parses to the same AST up to spans (ast-equal.ts) and formatting it again changes
 * nothing: every decision above depends only on what the output preserves.
 */
import type * as A from "./ast.js";
import { chainLinks } from "./chain.js";
import { CommentPlacement, type Container, type ContainerNode, type Element } from "./format-comments.js";
import { group, ifBreak, indent, line, render, suffix, type Doc } from "./format-doc.js";

const WIDTH = 100;

/** Formats a recipe that parsed without errors; `source` is the text it was parsed from. */
export function format(file: A.RecipeFile, source: string): string {
  const text = render(new Formatter(file, source).file(), WIDTH);
  return text === "" ? "" : `${text}\n`;
}

class Formatter {
  private readonly comments: CommentPlacement;

  constructor(
    private readonly root: A.RecipeFile,
    private readonly source: string,
  ) {
    this.comments = new CommentPlacement(root, source);
  }

  file(): Doc {
    // Lines at the top level are always broken; only the header forces a blank line after it.
    return this.entries(this.comments.container(this.root), "", this.root.header);
  }

  /**
   * A container's delimiters around its entries: a group, so inline when it may be and fits.
   * `padding` goes inside inline braces; `separator` ends each entry when broken.
   */
  private container(node: ContainerNode, open: string, close: string, padding: string, separator: string): Doc {
    const container = this.comments.container(node);
    const hasComments = this.comments.hasComments(container);
    if (container.elements.length === 0 && !hasComments) return open + close;
    // Empty when the container holds only comments on its opening line.
    const entries = this.entries(container, separator);
    return group(container.openLine !== container.closeLine || hasComments, [
      open,
      this.comments.get(container, "opening").map(trailingComment),
      entries.length > 0 ? indent([line(padding), entries]) : "",
      line(padding),
      close,
    ]);
  }

  /**
   * The entries of a container with their comments, one per line when broken. Each unit (a comment
   * on its own line or an entry) after the first is preceded by a line break, blank where the
   * source had a blank line before it. Comments moved out of an entry go right before it, so a
   * blank line before the entry goes before them.
   */
  private entries(container: Container, separator: string, blankAfter?: Element): Doc[] {
    const docs: Doc[] = [];
    let previousEnd: number | undefined;
    let forceBlank = false;
    const breakBefore = (start: number): void => {
      if (previousEnd !== undefined) docs.push(line(" ", forceBlank || this.blankLineBetween(previousEnd, start)));
      forceBlank = false;
    };
    const ownLine = (comment: A.Comment): void => {
      breakBefore(comment.span.start.offset);
      docs.push(commentText(comment));
      previousEnd = comment.span.end.offset;
    };
    container.elements.forEach((element, i) => {
      this.comments.get(element, "leading").forEach(ownLine);
      breakBefore(element.span.start.offset);
      for (const comment of this.comments.get(element, "moved")) docs.push(commentText(comment), line(""));
      const last = i === container.elements.length - 1;
      docs.push(this.element(element), ifBreak(separator, last ? "" : ","));
      const trailing = this.comments.get(element, "trailing");
      docs.push(trailing.map(trailingComment));
      previousEnd = (trailing.at(-1) ?? element).span.end.offset;
      forceBlank = element === blankAfter;
    });
    this.comments.get(container, "closing").forEach(ownLine);
    return docs;
  }

  /** Only spaces, commas and line breaks lie between two units, so an empty line means a blank one. */
  private blankLineBetween(end: number, start: number): boolean {
    return /\n[ \t\r,]*\n/.test(this.source.slice(end, start));
  }

  private element(element: Element): Doc {
    switch (element.kind) {
      case "header":
        return [element.keyword, " ", element.name.name, element.description ? ` ${element.description.text}` : ""];
      case "use":
        return ["use ", element.path.text, element.sha256 ? ` sha256 ${element.sha256.text}` : "", " as ", element.alias.name];
      case "let":
        return ["let ", element.name.name, element.type ? [": ", typeRef(element.type)] : "", " = ", this.expr(element.value)];
      case "model":
      case "data":
      case "stage":
        return [element.kind, " ", element.name.name, " = ", this.expr(element.value)];
      case "reward":
        return ["reward ", element.name.name, " : ", element.granularity.name, " = ", this.expr(element.value)];
      case "run":
        return ["run ", this.expr(element.block)];
      case "sweep":
        return ["sweep ", this.container(element.block, "{", "}", " ", "")];
      case "variants":
        return ["variants ", this.container(element.list, "{", "}", " ", "")];
      case "variant": {
        const settings = element.settings ? this.container(element.settings, "{", "}", " ", "") : "";
        if (element.recipe === undefined) return [element.name.name, " = ", settings];
        return [element.name.name, " = ", element.recipe.text, element.settings ? [" with ", settings] : ""];
      }
      case "override":
        return [element.path.map((p) => p.name).join("."), " = ", this.expr(element.value)];
      case "field":
        return [element.name.name, " = ", this.expr(element.value)];
      case "arg":
        return element.name ? [element.name.name, " = ", this.expr(element.value)] : this.expr(element.value);
      default:
        return this.expr(element);
    }
  }

  private expr(expr: A.Expr): Doc {
    switch (expr.kind) {
      case "ident":
        return expr.name;
      case "number":
        return expr.unit ? `${expr.text} ${expr.unit.name}` : expr.text;
      case "percent":
      case "string":
        return expr.text;
      case "bool":
        return String(expr.value);
      case "list":
        return this.container(expr, "[", "]", "", ",");
      case "block":
        return this.container(expr, "{", "}", " ", "");
      case "paren":
        return ["(", this.expr(expr.expr), ")"];
      case "unary":
        return [expr.op, this.expr(expr.operand)];
      case "binary": {
        // A loop over the chain, not recursion into `left` (chain.ts).
        const links = chainLinks(expr, () => true);
        return [this.expr(links[0]!.left), links.map((link) => [link.op === ".." ? ".." : ` ${link.op} `, this.expr(link.right)])];
      }
      case "member":
        return [this.expr(expr.object), ".", expr.name.name];
      case "call":
        return [this.expr(expr.callee), this.container(expr, "(", ")", "", ",")];
      case "blockCall":
        return [this.expr(expr.callee), " ", this.expr(expr.block)];
      case "with":
        return [this.expr(expr.base), " with ", this.expr(expr.block)];
      case "error":
        throw new Error("format: the file has syntax errors; format only files that parse without errors");
    }
  }
}

function typeRef(type: A.TypeRef): string {
  return type.args.length === 0 ? type.name.name : `${type.name.name}<${type.args.map(typeRef).join(", ")}>`;
}

/** A comment's text without trailing whitespace on any of its lines (a block comment's inner lines are otherwise verbatim). */
function commentText(comment: A.Comment): string {
  return comment.text.replace(/[ \t\r]+$/gm, "");
}

function trailingComment(comment: A.Comment): Doc {
  return suffix(`  ${commentText(comment)}`);
}
