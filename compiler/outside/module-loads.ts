/**
 * The files a JS/TS reward module loads by a relative specifier (`./lib/helper.js`,
 * `require("./helper")`), followed through every code module so loaded, as js-exports.ts lists
 * them: by lexing, never by running. A bare specifier (`node:fs`, `lodash`) names a package, not a
 * file, and an import whose specifier is computed cannot be followed. Two readers: `roux publish`
 * sends these files with the module (registry/package-files.ts, which refuses one outside the
 * recipe's folder), and the stage key hashes them (runtime/stage-cache/README.md "The key"), so
 * that editing a helper a reward imports is a new key, as editing the reward is.
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import { isCodeModule } from "./module-extensions.js";

/**
 * Node's `require` tries these after the name as written (a folder's package.json `main` is not
 * read: name the file); an ES import names its file whole, so only the first matches it.
 */
const REQUIRE_SUFFIXES = ["", ".js", ".json", "/index.js", "/index.json"];

/** One relative specifier of a module: where it points as written, and the file Node would load (undefined when none is there). */
export interface Load {
  readonly importer: string;
  readonly specifier: string;
  readonly written: string;
  readonly file: string | undefined;
}

/**
 * The files `modules` load, through every code module so loaded, each once and none of
 * `modules` themselves. `admit` sees each load first and may refuse it by throwing; a load with
 * no file is otherwise left out (running the module would fail there, and says so).
 */
export async function moduleLoads(modules: readonly string[], admit: (load: Load) => void = () => {}): Promise<string[]> {
  const { listModuleExports } = await import("./js-exports.js");
  const found = new Set<string>();
  const pending = [...modules];
  for (let module = pending.pop(); module !== undefined; module = pending.pop()) {
    const listed = await listModuleExports(module);
    // A module that does not lex fails the recipe's check, which reports it.
    if (!listed.ok) continue;
    for (const specifier of listed.imports) {
      if (!/^(\.{1,2}(\/|$)|\/|file:)/.test(specifier)) continue;
      const written = path.resolve(path.dirname(module), specifier.startsWith("file:") ? new URL(specifier).pathname : specifier);
      const load = { importer: module, specifier, written, file: await loadedFile(written) };
      admit(load);
      if (load.file === undefined || found.has(load.file) || modules.includes(load.file)) continue;
      found.add(load.file);
      if (isCodeModule(load.file)) pending.push(load.file);
    }
  }
  return [...found];
}

async function loadedFile(written: string): Promise<string | undefined> {
  for (const suffix of REQUIRE_SUFFIXES) if ((await stat(written + suffix).catch(() => undefined))?.isFile()) return written + suffix;
  return undefined;
}
