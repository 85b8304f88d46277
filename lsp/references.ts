/**
 * Find references: every place a declaration or an import's alias is named, as the checker
 * resolved each name (the `references` of each module's result), so a name a preset shares with
 * a built-in (`rloo`) counts only where it meant the declaration. Searched in each given
 * analysis's program: the open documents and every module they import. A field's references
 * are field-references.ts's.
 */
import path from "node:path";
import type { Location } from "vscode-languageserver";
import type { CheckedModule } from "../compiler/program.js";
import type { Span } from "../diagnostics/span.js";
import type { Analysis } from "./analysis.js";
import { touches } from "./locations.js";
import { meaningAt } from "./meaning.js";

/** The declaration named under the cursor: its name span, and the span of the name as written there. */
export interface NamedDeclaration {
  name: string;
  declaration: Span;
  /** Where the cursor's name is written in the document (a use, or the declaration's own name). */
  at: Span;
}

function sameSpan(a: Span, b: Span): boolean {
  return a.start.offset === b.start.offset && path.resolve(a.file) === path.resolve(b.file);
}

export function declarationAt(analysis: Analysis, offset: number): NamedDeclaration | undefined {
  const program = analysis.program;
  if (program === undefined) return undefined;
  const meaning = meaningAt(program, offset);
  // An import's alias is declared by its `use` and referred to by each `alias.member`, as a name is.
  const declaration =
    meaning?.kind === "declaration"
      ? meaning.declaration.nameSpan
      : meaning?.kind === "value"
        ? meaning.value.declaration?.span
        : meaning?.kind === "module"
          ? meaning.use.alias.span
          : undefined;
  if (declaration === undefined) return undefined;
  const use = program.root.result?.references.find((r) => touches(r.at, offset) && sameSpan(r.declaration, declaration));
  const own = path.resolve(declaration.file) === path.resolve(analysis.file) && touches(declaration, offset);
  const at = use?.at ?? (own ? declaration : undefined);
  if (at === undefined) return undefined;
  const text = analysis.text.slice(at.start.offset, at.end.offset);
  return { name: text, declaration, at };
}

/** The module of some analysis that holds `file`, and the analysis it was read by. */
export function moduleOf(analyses: readonly Analysis[], file: string): { analysis: Analysis; module: CheckedModule } | undefined {
  for (const analysis of analyses) {
    for (const module of analysis.program?.modules.values() ?? []) {
      if (path.resolve(module.file) === path.resolve(file)) return { analysis, module };
    }
  }
  return undefined;
}

/** Every place `declaration` is named in the analyses' programs, each once, in file then source order. */
export function referencesTo(analyses: readonly Analysis[], declaration: Span, includeDeclaration: boolean): Location[] {
  const found = new Map<string, { location: Location; offset: number }>();
  const add = (analysis: Analysis, span: Span) => {
    const uri = analysis.uriOf(span.file);
    const key = `${uri}#${span.start.offset}`;
    if (!found.has(key)) found.set(key, { location: { uri, range: analysis.rangesOf(span.file).range(span) }, offset: span.start.offset });
  };
  for (const analysis of analyses) {
    for (const module of analysis.program?.modules.values() ?? []) {
      for (const reference of module.result?.references ?? []) if (sameSpan(reference.declaration, declaration)) add(analysis, reference.at);
    }
  }
  const home = moduleOf(analyses, declaration.file);
  if (includeDeclaration && home) add(home.analysis, declaration);
  return [...found.values()].sort((a, b) => a.location.uri.localeCompare(b.location.uri) || a.offset - b.offset).map((f) => f.location);
}
