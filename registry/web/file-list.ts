/**
 * A package's files on its version page: each with its size, its sha256 and a link that downloads
 * it (`GET /api/v1/recipes/OWNER/NAME/VERSION/files/PATH`), and, above them, a plain warning when
 * the package holds JS/TS modules, which run on the machine of whoever runs the recipe. Built on
 * each view from the version's manifest (immutable, and cheap to write out), within a byte budget
 * of its own so that the page keeps to its size (page-parts.ts) however many files there are.
 */
import type { PackageFile, PackageManifest } from "../../compiler/modules/package-manifest.js";
import { isCodeModule } from "../../compiler/outside/module-extensions.js";
import { bytesText } from "../body.js";
import type { VersionRef } from "../names.js";
import { escapeHtml } from "./html.js";

/** The most the rows of the list may take; the files past it are counted, not listed. */
const LIST_BUDGET = 32 * 1024;

/** Where a file of the version downloads from; a package path's segments are plain (package-manifest.ts), encoded all the same. */
export function fileLink(ref: VersionRef, file: string): string {
  return `/api/v1/recipes/${ref.owner}/${ref.name}/${ref.version}/files/${file.split("/").map(encodeURIComponent).join("/")}`;
}

function row(ref: VersionRef, file: PackageFile): string {
  const code = isCodeModule(file.path) ? ' <span class="code">code</span>' : "";
  return (
    `<tr><td><a href="${escapeHtml(fileLink(ref, file.path))}" download>${escapeHtml(file.path)}</a>${code}</td>` +
    `<td>${escapeHtml(bytesText(file.size))}</td><td><code>${escapeHtml(file.sha256)}</code></td></tr>`
  );
}

function codeWarning(code: readonly PackageFile[]): string {
  if (code.length === 0) return "";
  const count = code.length === 1 ? "a JS/TS module" : `${code.length} JS/TS modules`;
  return (
    `<p class="warning" id="runs-code"><strong>This package runs code on your machine when you run it</strong>: ` +
    `it contains ${count} (marked <span class="code">code</span> below) that the recipe runs as rewards. Read ${code.length === 1 ? "it" : "them"} before you run the recipe.</p>\n`
  );
}

/** The Files section of a package version's page. */
export function fileList(ref: VersionRef, manifest: PackageManifest): string {
  const all = [manifest.recipe, ...manifest.files];
  const rows: string[] = [];
  let used = 0;
  for (const file of all) {
    const html = row(ref, file);
    used += Buffer.byteLength(html);
    if (used > LIST_BUDGET) break;
    rows.push(html);
  }
  const left = all.length - rows.length;
  const more = left > 0 ? `\n<p class="muted">and ${left} more: <code>roux pull</code> fetches them all.</p>` : "";
  const heading = `<h2>Files</h2>\n${codeWarning(all.filter((f) => isCodeModule(f.path)))}`;
  return `${heading}<table class="files"><tr><th>path</th><th>size</th><th>sha256</th></tr>\n${rows.join("\n")}</table>${more}\n`;
}
