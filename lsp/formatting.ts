/**
 * Document formatting: `roux fmt`'s layout (grammar/format.ts) as one edit replacing the whole
 * text. Like `roux fmt`, a document with syntax errors is left as it is.
 */
import type { TextEdit } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { format } from "../grammar/format.js";
import { parse } from "../grammar/parse.js";
import { fileOfUri } from "./locations.js";

export function formattingEdits(document: TextDocument): TextEdit[] {
  const text = document.getText();
  const parsed = parse(text, fileOfUri(document.uri));
  if (parsed.diagnostics.some((d) => d.severity === "error")) return [];
  const formatted = format(parsed.ast, text);
  if (formatted === text) return [];
  return [{ range: { start: document.positionAt(0), end: document.positionAt(text.length) }, newText: formatted }];
}
