/**
 * Go to definition: a name to its declaration, in this file, an imported module or the prelude;
 * an import's alias or path to the module's file; in a sweep's items, a variant's recipe or a
 * setting's path to the recipe (sweep-definition.ts). Built-ins are defined by the compiler's
 * table, not by any recipe, so they have no location.
 */
import type { Location } from "vscode-languageserver";
import type { Analysis } from "./analysis.js";
import { meaningAt } from "./meaning.js";
import { sweepDefinitionAt } from "./sweep-definition.js";

export function definitionAt(analysis: Analysis, offset: number): Location | Location[] | null {
  const program = analysis.program;
  if (program === undefined) return null;
  const inSweep = sweepDefinitionAt(analysis, offset);
  if (inSweep !== undefined) return inSweep;
  const meaning = meaningAt(program, offset);
  switch (meaning?.kind) {
    case "declaration": {
      const span = meaning.declaration.nameSpan;
      return { uri: analysis.uriOf(span.file), range: analysis.rangesOf(span.file).range(span) };
    }
    case "module": {
      if (meaning.module === undefined) return null;
      const start = { line: 0, character: 0 };
      return { uri: analysis.uriOf(meaning.module.file), range: { start, end: start } };
    }
    case "value": {
      // A value the checker traced to a declaration it took from a name.
      const span = meaning.value.declaration?.span;
      return span ? { uri: analysis.uriOf(span.file), range: analysis.rangesOf(span.file).range(span) } : null;
    }
    default:
      return null;
  }
}
