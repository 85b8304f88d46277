/**
 * One open document checked as `roux check` checks a recipe (compiler/check-recipe.ts, the same
 * passes), with every open document's unsaved text standing in for its file on disk, so an edit
 * to an imported module reaches the documents that import it before it is saved.
 */
import path from "node:path";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { checkRecipe } from "../compiler/check-recipe.js";
import { type OpenText, recipeResolvers } from "../compiler/modules/resolve.js";
import type { Reparser } from "../grammar/reparse.js";
import type { CheckedModule, ProgramResult } from "../compiler/program.js";
import { fileOfUri, SpanRanges, uriOfPath } from "./locations.js";

export class Analysis {
  private readonly ranges = new Map<string, SpanRanges>();

  constructor(
    readonly uri: string,
    /** The file name the compiler was given: the document's path. */
    readonly file: string,
    /** The document's version the analysis is of, and its text then. */
    readonly version: number,
    readonly text: string,
    /** Undefined when the checker failed on this text; `failure` says how. */
    readonly program: ProgramResult | undefined,
    readonly failure: string | undefined,
    private readonly uriOfFile: (file: string) => string,
  ) {}

  get root(): CheckedModule | undefined {
    return this.program?.root;
  }

  /** Range conversion for a file of the program, over the text the compiler read. */
  rangesOf(file: string): SpanRanges {
    let ranges = this.ranges.get(file);
    if (ranges === undefined) {
      ranges = new SpanRanges(file === this.file ? this.text : (this.program?.modules.get(file)?.source ?? ""));
      this.ranges.set(file, ranges);
    }
    return ranges;
  }

  uriOf(file: string): string {
    return file === this.file ? this.uri : this.uriOfFile(file);
  }

  /** The files the program read, the document's own included: an edit to any of them makes this stale. */
  files(): Set<string> {
    return new Set([...(this.program?.modules.keys() ?? [])].map((f) => path.resolve(f)));
  }
}

export interface AnalysisContext {
  env: NodeJS.ProcessEnv;
  /** The unsaved text of an open document, by the compiler's file name. */
  open: OpenText;
  /** The URI of an open document with this file name, if one is open. */
  openUri(file: string): string | undefined;
  /** Keeps each file's last clean parse, so an edit parses only the items it touched. */
  reparser?: Reparser;
}

export async function analyze(document: TextDocument, context: AnalysisContext): Promise<Analysis> {
  const file = fileOfUri(document.uri);
  const text = document.getText();
  const uriOfFile = (f: string) => context.openUri(f) ?? uriOfPath(f);
  try {
    const reparser = context.reparser;
    const program = await checkRecipe(file, text, {
      resolvers: recipeResolvers(file, context.env, context.open),
      ...(reparser ? { parse: (source: string, name: string) => reparser.parse(source, name) } : {}),
    });
    return new Analysis(document.uri, file, document.version, text, program, undefined, uriOfFile);
  } catch (error) {
    // A bug in the checker must not take the server down with it: the document says so instead.
    return new Analysis(document.uri, file, document.version, text, undefined, (error as Error).message ?? String(error), uriOfFile);
  }
}
