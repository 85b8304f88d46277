/**
 * Runs a CommonJS bundle through V8's code cache: the functions V8 compiled on an earlier run,
 * saved beside the bundle, are read back instead of being parsed and compiled again. Node 20 has
 * no compile cache for modules, and `roux check` spent a large part of a cold start compiling
 * its bundle (docs/architecture.md "Start-up").
 *
 * The cache starts with the SHA-256 of the source it was made from: V8 itself checks little more
 * than the source's length, and a cache of other code would run that code. V8 refuses a cache
 * from another V8 version or other flags; the bundle is then compiled as usual, and a new cache
 * can be saved.
 */
import { createHash } from "node:crypto";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Script } from "node:vm";

export interface CachedScript {
  /** What the bundle's `module.exports` holds once it has run. */
  exports: unknown;
  /** Whether V8 took the saved cache. */
  fromCache: boolean;
  /** Saves the code V8 has compiled so far, the functions run since loading included. */
  saveCache(): void;
}

const HASH_BYTES = 32;

export function cachePath(file: string): string {
  return `${file}.v8cache`;
}

/**
 * `provided` answers the bundle's `require` of those specifiers instead of Node, for modules
 * that must be the very ones the caller has (a class checked with `instanceof`).
 */
export function runCached(file: string, provided: ReadonlyMap<string, unknown> = new Map()): CachedScript {
  const source = readFileSync(file, "utf8");
  const hash = createHash("sha256").update(source).digest();
  const cachedData = savedCache(file, hash);
  // The wrapper is the one Node gives a CommonJS module, on the bundle's first line so its
  // line numbers stay the bundle's.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  const fromCache = cachedData !== undefined && script.cachedDataRejected === false;
  const module = { exports: {} as unknown };
  const nodeRequire = createRequire(file);
  const require = (specifier: string) => (provided.has(specifier) ? provided.get(specifier) : nodeRequire(specifier));
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, require, module, file, path.dirname(file));
  return { exports: module.exports, fromCache, saveCache: () => saveCache(file, hash, script) };
}

function savedCache(file: string, hash: Buffer): Buffer | undefined {
  let saved: Buffer;
  try {
    saved = readFileSync(cachePath(file));
  } catch {
    return undefined;
  }
  return saved.length > HASH_BYTES && saved.subarray(0, HASH_BYTES).equals(hash) ? saved.subarray(HASH_BYTES) : undefined;
}

/**
 * Written to a new file and renamed over the old, so a run reading it never sees half of one.
 * A cache that cannot be written (an installation the user may not write to) is only a slower
 * start, never an error.
 */
function saveCache(file: string, hash: Buffer, script: Script): void {
  const target = cachePath(file);
  const partial = `${target}.${process.pid}`;
  try {
    writeFileSync(partial, Buffer.concat([hash, script.createCachedData()]));
    renameSync(partial, target);
  } catch {
    try {
      rmSync(partial, { force: true });
    } catch {
      // Nothing was written where nothing can be removed.
    }
  }
}
