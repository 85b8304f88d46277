/**
 * Where things are, in the editor's terms: a document URI for a file the compiler names, and an
 * LSP range for a compiler span. Ranges are computed from the span's offsets over the text the
 * compiler read, so they count UTF-16 code units and line breaks exactly as the editor does
 * (docs/architecture.md "roux lsp").
 */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Position, Range } from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { Span } from "../diagnostics/span.js";

/** The file name the compiler is given for a document: its path for `file:` URIs, else the URI itself. */
export function fileOfUri(uri: string): string {
  return uri.startsWith("file:") ? fileURLToPath(uri) : uri;
}

/** A `file:` URI for a file the compiler named (relative names are relative to the working folder). */
export function uriOfPath(file: string): string {
  return pathToFileURL(path.resolve(file)).href;
}

/** Converts spans of one source text; built once per text, since it indexes the line starts. */
export class SpanRanges {
  private readonly document: TextDocument;

  constructor(text: string) {
    this.document = TextDocument.create("roux:span", "roux", 0, text);
  }

  /** The editor's position of an offset of the text. */
  position(offset: number): Position {
    return this.document.positionAt(offset);
  }

  range(span: Span): Range {
    return { start: this.document.positionAt(span.start.offset), end: this.document.positionAt(span.end.offset) };
  }
}

/** Whether `offset` lies in `span` or just after it, where the cursor sits after typing a name. */
export function touches(span: Span, offset: number): boolean {
  return span.start.offset <= offset && offset <= span.end.offset;
}
