/**
 * A module from a registry is sealed: it may import the standard library and other pinned
 * registry modules, but no file of the machine that checks it (a relative `use`, a dataset, an
 * ONNX model, a JS reward). Its pin covers its own text only, so a file it read from the machine
 * would make the same pinned recipe mean different things on different machines, and would let a
 * published recipe read whatever lies beside the cache. A package (package-manifest.ts) is the
 * exception that keeps the rule: its pin covers its files too, so its modules read files inside
 * the package's own folder, and nothing outside it.
 */
import path from "node:path";
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Span } from "../../diagnostics/span.js";

/** Whether a sealed module whose package (if any) is in `packageRoot` may read `file`. */
export function sealedMayRead(packageRoot: string | undefined, file: string): boolean {
  if (packageRoot === undefined) return false;
  const inside = path.relative(path.resolve(packageRoot), path.resolve(file));
  return inside !== "" && !inside.startsWith("..") && !path.isAbsolute(inside);
}

export function localFileRefused(moduleSpecifier: string, what: string, span: Span, inPackage = false): Diagnostic {
  const reason = inPackage
    ? `a registry package reads only its own files, and this names ${what}, outside the package`
    : `a registry module cannot read local files, and this names ${what}`;
  return diagnostic("E1103", { module: moduleSpecifier, reason }, span, {
    label: "a local file",
    help: inPackage
      ? "name a file inside the package's folder"
      : "publish what it needs inside the module, or as another registry module imported with its pin",
  });
}
