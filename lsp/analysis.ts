/**
 * One open document checked as `roux check` checks a recipe (compiler/check-recipe.ts, the same
 * passes), with every open document's unsaved text standing in for its file on disk, so an edit
 * to an imported module reaches the documents that import it before it is saved. A document
 * declaring a sweep (docs/language.md §10) is loaded as `roux check` loads it too, every point
 * checked, and its diagnostics are the sweep's.
 */
import path from "node:path";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { checkRecipe } from "../compiler/check-recipe.js";
import { type OpenText, recipeResolvers } from "../compiler/modules/resolve.js";
import type { Reparser } from "../grammar/reparse.js";
import type { CheckedModule, ProgramResult } from "../compiler/program.js";
import { type LoadedSweep, loadSweep } from "../compiler/sweep/load-sweep.js";
import { checkedAsSweep } from "../compiler/sweep/sweep-spec.js";
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
    /** The sweep the document declares, loaded as `roux check` loads it; undefined when it declares none. */
    readonly sweep?: LoadedSweep,
  ) {}

  get root(): CheckedModule | undefined {
    return this.program?.root;
  }

  /** Range conversion for a file of the program, over the text the compiler read. */
  rangesOf(file: string): SpanRanges {
    let ranges = this.ranges.get(file);
    if (ranges === undefined) {
      const source = this.program?.modules.get(file)?.source ?? this.sweep?.sources.get(file) ?? "";
      ranges = new SpanRanges(file === this.file ? this.text : source);
      this.ranges.set(file, ranges);
    }
    return ranges;
  }

  uriOf(file: string): string {
    return file === this.file ? this.uri : this.uriOfFile(file);
  }

  /** The files the program and the sweep's points read, the document's own included: an edit to any of them makes this stale. */
  files(): Set<string> {
    const read = [...(this.program?.modules.keys() ?? []), ...(this.sweep?.readers.keys() ?? [])];
    return new Set(read.map((f) => path.resolve(f)));
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
    // The document's own text is the one checked, whether or not the context holds it open.
    const open = (f: string) => (path.resolve(f) === path.resolve(file) ? text : context.open(f));
    const sweep = checkedAsSweep(program) ? await loadSweep(file, { env: context.env, open }) : undefined;
    return new Analysis(document.uri, file, document.version, text, program, undefined, uriOfFile, sweep);
  } catch (error) {
    // A bug in the checker must not take the server down with it: the document says so instead.
    return new Analysis(document.uri, file, document.version, text, undefined, (error as Error).message ?? String(error), uriOfFile);
  }
}
