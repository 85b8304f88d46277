/**
 * A module from a registry is sealed: it may import the standard library and other pinned
 * registry modules, but no local file (a relative `use`, a dataset, an ONNX model, a JS reward).
 * Its pin covers its own text only, so a file it read from the machine that checks it would make
 * the same pinned recipe mean different things on different machines, and would let a published
 * recipe read whatever lies beside the cache.
 */
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Span } from "../../diagnostics/span.js";

export function localFileRefused(moduleSpecifier: string, what: string, span: Span): Diagnostic {
  return diagnostic("E1103", { module: moduleSpecifier, reason: `a registry module cannot read local files, and this names ${what}` }, span, {
    label: "a local file",
    help: "publish what it needs inside the module, or as another registry module imported with its pin",
  });
}
