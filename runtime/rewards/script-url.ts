/**
 * Where a script that Node must load by itself (a worker's entry, module hooks) is, for a file
 * of this folder written in TypeScript. Node 20 cannot load TypeScript, and a Worker or
 * `module.register` loads its script outside whatever runs ours (vitest's transform):
 *
 * - from dist/ (this file's URL ends in `.js`), it is tsc's output beside this file;
 * - from the sources (vitest), the `.ts` beside this file is stripped of its types with amaro
 *   and given as a data: URL.
 *
 * So such a script must import only `node:` modules and types (a data: URL module cannot
 * resolve a relative or package import), and must be TypeScript that strip-only accepts.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const cache = new Map<string, string>();

/** URL of `name` (without extension), a file of this folder. */
export function scriptUrl(name: string): string {
  let url = cache.get(name);
  if (url === undefined) {
    url = import.meta.url.endsWith(".js") ? new URL(`./${name}.js`, import.meta.url).href : strippedDataUrl(name);
    cache.set(name, url);
  }
  return url;
}

function strippedDataUrl(name: string): string {
  const source = readFileSync(new URL(`./${name}.ts`, import.meta.url), "utf8");
  // Required here, not imported at the top: only the sources need it, and loading amaro costs
  // every `roux` command that reaches this module tens of milliseconds (docs/architecture.md
  // "Start-up").
  const { transformSync } = createRequire(import.meta.url)("amaro") as typeof import("amaro");
  return `data:text/javascript,${encodeURIComponent(transformSync(source, { mode: "strip-only" }).code)}`;
}

/** file: URL of amaro, for hooks that cannot import it by name (see above). */
export function amaroUrl(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve("amaro")).href;
}
