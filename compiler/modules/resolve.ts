/**
 * Where `use "..."` finds a module. A resolver turns a specifier into a file and its text, or
 * says why it cannot. The registry's server adds its own resolver for `registry:` specifiers,
 * reading from its store instead of the local cache.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { decodeSource } from "../../grammar/source-text.js";
import { displayPath } from "./display-path.js";
import { findLock, readLock } from "./lock.js";
import { readModuleFile } from "./module-file.js";
import { registryCacheResolver } from "./registry-cache.js";

export type Resolution =
  /**
   * `sealed`: the module came from a registry and may not read local files (modules/sealed.ts),
   * but those inside `packageRoot` when it came in a package.
   * `problems`: what is wrong with the file's bytes (E0004), reported in the module itself.
   */
  | { ok: true; file: string; source: string; sealed?: boolean; packageRoot?: string; problems?: readonly Diagnostic[] }
  /** E1105 (not found) unless the resolver found the module but cannot trust it (E1103). */
  | { ok: false; reason: string; help?: string; code?: "E1103" };

export interface ModuleResolver {
  /** Whether this resolver handles the specifier (by its prefix). */
  handles(specifier: string): boolean;
  /** `pin` is the `sha256 "..."` the `use` gives, if any. */
  resolve(specifier: string, fromFile: string, pin?: string): Resolution;
  /** Whether what it resolves is a file on this machine, which a sealed module may not import. */
  readsLocalFiles?: boolean;
}

/** The package root: where recipes/std lives, found from this file whether run from dist/ or source. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "package.json")) || !existsSync(path.join(dir, "recipes"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("cannot find the Roux package root (recipes/ beside package.json)");
    dir = parent;
  }
  return dir;
}

export const STD_DIR = path.join(packageRoot(), "recipes", "std");

/**
 * Text that stands in for a file on disk: an editor's unsaved buffer (lsp/ "documents"), so an
 * edit to an imported module is checked before it is saved. Undefined reads the disk.
 */
export type OpenText = (file: string) => string | undefined;

function readModule(file: string, specifier: string, open: OpenText): Resolution {
  const unsaved = open(file);
  if (unsaved !== undefined) return { ok: true, file, source: unsaved };
  const read = readModuleFile(file);
  // A FIFO, a device, a directory or an oversized file is no module either; the reason says which.
  if (!read.ok) return { ok: false, reason: read.missing ? `no file ${file} for \`${specifier}\`` : read.reason };
  const { text, diagnostics } = decodeSource(read.bytes, file);
  return { ok: true, file, source: text, problems: diagnostics };
}

const onDisk: OpenText = () => undefined;

/** `std/NAME`, read from recipes/std, or from `open` where it has the file's text. */
export function stdResolverReading(open: OpenText): ModuleResolver {
  return {
    handles: (specifier) => specifier.startsWith("std/"),
    resolve(specifier) {
      const name = specifier.slice(4);
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) return { ok: false, reason: `\`${specifier}\` is not a standard module name` };
      return readModule(displayPath(path.join(STD_DIR, `${name}.recipe`)), specifier, open);
    },
  };
}

/** `./file.recipe` relative to the importing module, read from disk or from `open`. */
export function fileResolverReading(open: OpenText): ModuleResolver {
  return {
    readsLocalFiles: true,
    handles: (specifier) => specifier.startsWith("./") || specifier.startsWith("../"),
    resolve(specifier, fromFile) {
      if (!specifier.endsWith(".recipe")) return { ok: false, reason: `\`${specifier}\` is not a .recipe file`, help: `write \`${specifier}.recipe\`` };
      return readModule(path.join(path.dirname(fromFile), specifier), specifier, open);
    },
  };
}

export const stdResolver: ModuleResolver = stdResolverReading(onDisk);

export const fileResolver: ModuleResolver = fileResolverReading(onDisk);

/**
 * The resolvers `roux check` uses for a recipe: std, local files, and the registry cache held to
 * the nearest `roux.lock` above the recipe. The language server passes the open documents' text
 * as `open`.
 */
export function recipeResolvers(file: string, env: NodeJS.ProcessEnv, open: OpenText = onDisk): ModuleResolver[] {
  const lockFile = findLock(path.dirname(path.resolve(file)));
  const registry = registryCacheResolver({ env, lock: lockFile === undefined ? undefined : readLock(lockFile) });
  return [stdResolverReading(open), fileResolverReading(open), registry];
}

export const DEFAULT_RESOLVERS: readonly ModuleResolver[] = [stdResolver, fileResolver, registryCacheResolver()];
