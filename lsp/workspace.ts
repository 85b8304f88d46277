/**
 * The open documents and their analyses. A document's text stands in for its file on disk for
 * every check (an unsaved edit to an imported module counts). An edit makes stale the edited
 * document's analysis and every analysis that read the edited file; stale documents are checked
 * again once typing pauses (DEBOUNCE_MS), and a request for a stale document checks it at once.
 * A module that is not open is read from disk: when the editor reports that its file changed
 * there, the analyses that read it are stale too.
 */
import path from "node:path";
import { TextDocuments } from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import { Reparser } from "../grammar/reparse.js";
import { type Analysis, analyze } from "./analysis.js";
import { fileOfUri } from "./locations.js";

/** Long enough that a burst of keystrokes is one check, short enough to feel immediate. */
export const DEBOUNCE_MS = 150;

interface Entry {
  promise: Promise<Analysis>;
  /** The files the analysis read, once it has finished. */
  files?: Set<string>;
}

export class Workspace {
  readonly documents = new TextDocuments(TextDocument);
  private readonly entries = new Map<string, Entry>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Each document's newest analysis whose own text checked (parsed): what completion reads names and types from. */
  private readonly checkedAnalyses = new Map<string, Analysis>();
  /** Every file's last clean parse, open documents' and the modules they import alike. */
  private readonly reparser = new Reparser();

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    /** Called with each fresh analysis of a document once typing pauses: where diagnostics are published. */
    private readonly checked: (analysis: Analysis) => void,
    private readonly delayMs = DEBOUNCE_MS,
  ) {
    this.documents.onDidChangeContent(({ document }) => this.changed(document.uri));
    this.documents.onDidClose(({ document }) => {
      this.forget(document.uri);
      // The documents importing it read the file from disk again.
      this.changed(document.uri);
    });
  }

  /** The document's analysis for its current text, checked now if it is stale. */
  analysis(uri: string): Promise<Analysis> | undefined {
    const existing = this.entries.get(uri);
    if (existing) return existing.promise;
    const document = this.documents.get(uri);
    if (document === undefined) return undefined;
    const entry: Entry = {
      promise: analyze(document, {
        env: this.env,
        open: (file) => this.openDocument(file)?.getText(),
        openUri: (file) => this.openDocument(file)?.uri,
        reparser: this.reparser,
      }),
    };
    entry.promise.then((analysis) => {
      entry.files = analysis.files();
      if (analysis.root?.result !== undefined) this.checkedAnalyses.set(uri, analysis);
    });
    this.entries.set(uri, entry);
    return entry.promise;
  }

  /** The analyses of every open document: what a request reaching across files (references, rename) searches. */
  async openAnalyses(): Promise<Analysis[]> {
    const analyses = await Promise.all(this.documents.all().map((d) => this.analysis(d.uri)));
    return analyses.filter((a): a is Analysis => a !== undefined);
  }

  /** The document's newest analysis that got past parsing, perhaps of an earlier text. */
  lastChecked(uri: string): Analysis | undefined {
    return this.checkedAnalyses.get(uri);
  }

  /** Stops every pending check (the server is shutting down). */
  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** Files changed on disk (the editor's file watcher): an open document's text still stands in for its file. */
  filesChanged(files: readonly string[]): void {
    for (const file of files) if (this.openDocument(file) === undefined) this.staleReaders(path.resolve(file));
  }

  private changed(uri: string): void {
    this.entries.delete(uri);
    if (this.documents.get(uri)) this.schedule(uri);
    this.staleReaders(path.resolve(fileOfUri(uri)));
  }

  /** Every analysis that read the file goes stale and is checked again. */
  private staleReaders(file: string): void {
    for (const [other, entry] of this.entries) {
      // An analysis still running may be reading the file: it is stale too.
      if (entry.files === undefined || entry.files.has(file)) {
        this.entries.delete(other);
        this.schedule(other);
      }
    }
  }

  private forget(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.entries.delete(uri);
    this.checkedAnalyses.delete(uri);
  }

  private schedule(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        const promise = this.analysis(uri);
        // Published only if no edit came while it ran; that edit scheduled its own check.
        promise?.then((analysis) => {
          if (this.entries.get(uri)?.promise === promise) this.checked(analysis);
        });
      }, this.delayMs),
    );
  }

  /** The open document the compiler's file name refers to; only `file:` documents can be imported. */
  private openDocument(file: string): TextDocument | undefined {
    const wanted = path.resolve(file);
    return this.documents.all().find((d) => d.uri.startsWith("file:") && path.resolve(fileOfUri(d.uri)) === wanted);
  }
}
