/**
 * Names used but declared nowhere, gathered while a module is evaluated and reported as one
 * E1101 per name at the end: a declaration misspelt or renamed where it is declared is one
 * mistake, however often it is used.
 */
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Span } from "../../diagnostics/span.js";
import { closest, didYouMean } from "../../diagnostics/suggest.js";
import type { Ident } from "../../grammar/ast.js";

export class UnknownNames {
  private readonly byName = new Map<string, { first: Ident; more: Span[] }>();

  add(ident: Ident): void {
    const earlier = this.byName.get(ident.name);
    if (earlier) earlier.more.push(ident.span);
    else this.byName.set(ident.name, { first: ident, more: [] });
  }

  /**
   * One E1101 per name, at its first use with the others as secondary spans; `known` gives the
   * names in scope, for "did you mean".
   */
  report(known: () => Iterable<string>, report: (diagnostic: Diagnostic) => void): void {
    for (const { first, more } of this.byName.values()) {
      const suggestion = closest(first.name, known());
      // Declarations are evaluated on first use, not in source order: the first use in the
      // source is the primary span.
      const [primary = first.span, ...others] = [first.span, ...more].sort((a, b) => a.file.localeCompare(b.file) || a.start.offset - b.start.offset);
      report(
        diagnostic("E1101", { name: first.name }, primary, {
          label: "not declared",
          secondary: others.map((span) => ({ span, message: "also used here" })),
          ...(suggestion ? didYouMean([primary, ...others], suggestion) : {}),
        }),
      );
    }
    this.byName.clear();
  }
}
