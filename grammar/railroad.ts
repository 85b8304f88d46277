/**
 * Railroad (syntax) diagrams of the recipe grammar as one self-contained HTML page. Chevrotain's
 * `createSyntaxDiagramsCode` writes a page that loads its scripts and stylesheet from unpkg; users
 * open this page offline, so every such resource is read from the installed chevrotain package
 * and inlined instead.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CHEVROTAIN_ROOT, createSyntaxDiagramsCode } from "./chevrotain.js";
import { parser } from "./parser.js";

export const RAILROAD_TITLE = "Roux recipe grammar";

/**
 * A URL prefix no real resource has: chevrotain's page is generated with it, and every reference
 * carrying it is replaced by the file's contents.
 */
const INLINE = "roux-inline:";

export function railroadHtml(): string {
  const diagrams = join(CHEVROTAIN_ROOT, "diagrams");
  const generated = createSyntaxDiagramsCode(parser.getSerializedGastProductions(), {
    resourceBase: INLINE,
    css: `${INLINE}diagrams.css`,
  });
  const read = (path: string) => readFileSync(join(diagrams, path), "utf8");
  let html = generated
    .replace(new RegExp(`<script src=['"]${INLINE}([^'"]+)['"]></script>`, "g"), (_, path: string) => inlineElement("script", read(path)))
    .replace(new RegExp(`<link rel=['"]stylesheet['"] href=['"]${INLINE}([^'"]+)['"]>`, "g"), (_, path: string) => inlineElement("style", read(path)));
  // Anything left over would make the page reach for a resource that does not exist; failing
  // here is better than a page that silently draws nothing.
  if (html.includes(INLINE)) throw new Error("chevrotain's diagram page references a resource that could not be inlined");
  html = replaceOnce(html, '<meta charset="utf-8">', `<meta charset="utf-8">\n<title>${RAILROAD_TITLE}</title>`);
  return replaceOnce(html, '<div id="diagrams"', `<h1 style="font-family: monospace">${RAILROAD_TITLE}</h1>\n<div id="diagrams"`);
}

/** `</script` or `</style` inside the text would end the element early; `<\/` means the same in JS and CSS strings. */
function inlineElement(tag: "script" | "style", text: string): string {
  const safe = text.replace(new RegExp(`</${tag}`, "gi"), `<\\/${tag}`);
  return `<${tag}>\n${safe}\n</${tag}>`;
}

/** Replaces the first `marker`, which chevrotain's page is expected to contain. */
function replaceOnce(html: string, marker: string, replacement: string): string {
  const at = html.indexOf(marker);
  if (at < 0) throw new Error(`chevrotain's diagram page has no ${marker}`);
  return html.slice(0, at) + replacement + html.slice(at + marker.length);
}
