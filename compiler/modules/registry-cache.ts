/**
 * `use "registry:OWNER/NAME@VERSION" sha256 "HEX" as x` resolves from the local cache that
 * `roux pull` fills, never from the network: a check must not depend on a server. The pinned
 * hash is of the module's source text as published; a cached file that does not match it was
 * changed after it was pulled, and a pin that disagrees with `roux.lock` is not what was
 * pulled; both are refused (E1103) rather than trusted. A package's pin is its package hash
 * (package-manifest.ts): its cached manifest must hash to it, and its recipe to the manifest;
 * its files were verified byte for byte by `roux pull`, and are read inside its folder only.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { displayPath } from "./display-path.js";
import { packageHash, parseManifest } from "./package-manifest.js";
import type { LockRead } from "./lock.js";
import type { ModuleResolver, Resolution } from "./resolve.js";

/** The owner and name rules of the registry's server, so that every name it takes can be imported. */
export const OWNER_PATTERN = "[a-z0-9][a-z0-9-]{0,38}";
export const NAME_PATTERN = "[a-z0-9][a-z0-9_-]{0,63}";
export const VERSION_PATTERN = "(?:0|[1-9]\\d{0,8})\\.(?:0|[1-9]\\d{0,8})\\.(?:0|[1-9]\\d{0,8})";

const SPECIFIER = new RegExp(`^registry:(${OWNER_PATTERN})/(${NAME_PATTERN})@(${VERSION_PATTERN})$`);

/** Where pulled recipes live: `$ROUX_CACHE`, else `~/.cache/roux`. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.ROUX_CACHE || path.join(homedir(), ".cache", "roux");
}

/** Owner, name and version must have matched the patterns above: they become path segments. */
export function cachedModulePath(owner: string, name: string, version: string, env?: NodeJS.ProcessEnv): string {
  return path.join(cacheDir(env), "registry", owner, name, `${version}.recipe`);
}

/**
 * A pulled package: its files under `VERSION/`, at their paths in the package, and its manifest
 * beside that folder, written last, so a manifest in the cache means every file arrived.
 */
export function cachedPackage(owner: string, name: string, version: string, env?: NodeJS.ProcessEnv): { dir: string; manifest: string } {
  const folder = path.join(cacheDir(env), "registry", owner, name);
  return { dir: path.join(folder, version), manifest: path.join(folder, `${version}.manifest.json`) };
}

type Found = Extract<Resolution, { ok: true }>;

/** A package from the cache, its manifest held to the pin and its recipe to the manifest; undefined when not pulled as a package. */
function cachedPackageModule(pinned: PinnedSpecifier, env: NodeJS.ProcessEnv | undefined): Resolution | undefined {
  const { dir, manifest: manifestFile } = cachedPackage(pinned.owner, pinned.name, pinned.version, env);
  let text: string;
  try {
    text = readFileSync(manifestFile, "utf8");
  } catch {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = parseManifest(json);
  const actual = parsed.ok ? packageHash(parsed.manifest) : "not a manifest";
  if (!parsed.ok || actual !== pinned.pin) {
    return {
      ok: false,
      code: "E1103",
      reason: `the cached package's hash is ${actual.slice(0, 12)}…, not the pinned ${pinned.pin.slice(0, 12)}…`,
      help: `the cached manifest at ${displayPath(manifestFile)} was changed after it was pulled; pull it again, or check the pin`,
    };
  }
  const recipe = path.join(dir, parsed.manifest.recipe.path);
  let source: string;
  try {
    source = readFileSync(recipe, "utf8");
  } catch {
    return { ok: false, code: "E1103", reason: "the cached package lacks its recipe", help: `run \`roux pull ${pinned.key}\`` };
  }
  if (sourceHash(source) !== parsed.manifest.recipe.sha256) {
    return { ok: false, code: "E1103", reason: "the cached package's recipe was changed after it was pulled", help: `run \`roux pull ${pinned.key}\`` };
  }
  return { ok: true, file: displayPath(recipe), source, sealed: true, packageRoot: displayPath(dir) } satisfies Found;
}

export function sourceHash(source: string | Uint8Array): string {
  return createHash("sha256").update(source).digest("hex");
}

export interface PinnedSpecifier {
  ok: true;
  owner: string;
  name: string;
  version: string;
  /** `OWNER/NAME@VERSION`, as `roux pull` and `roux.lock` name it. */
  key: string;
  pin: string;
}

/** A `registry:` specifier taken apart, or why it cannot be resolved: wherever it is resolved from. */
export function pinnedSpecifier(specifier: string, pin: string | undefined): PinnedSpecifier | Extract<Resolution, { ok: false }> {
  const [, owner, name, version] = SPECIFIER.exec(specifier) ?? [];
  if (owner === undefined || name === undefined || version === undefined) {
    return { ok: false, reason: "not a registry module name", help: "write `registry:OWNER/NAME@MAJOR.MINOR.PATCH`" };
  }
  if (pin === undefined) {
    return {
      ok: false,
      code: "E1103",
      reason: "a registry import must pin its hash",
      help: `add it: \`use "${specifier}" sha256 "..." as ...\` (\`roux pull\` prints it)`,
    };
  }
  return { ok: true, owner, name, version, key: `${owner}/${name}@${version}`, pin: pin.toLowerCase() };
}

export interface RegistryCacheOptions {
  /** Where `ROUX_CACHE` is read; the process's environment by default. */
  env?: NodeJS.ProcessEnv;
  /** The project's `roux.lock`, when it has one. */
  lock?: LockRead;
}

export function registryCacheResolver(options: RegistryCacheOptions = {}): ModuleResolver {
  return {
    handles: (specifier) => specifier.startsWith("registry:"),
    resolve(specifier, _fromFile, given): Resolution {
      const pinned = pinnedSpecifier(specifier, given);
      if (!pinned.ok) return pinned;
      const { owner, name, version, key, pin } = pinned;
      const lock = options.lock;
      if (lock?.ok === false) {
        return {
          ok: false,
          code: "E1103",
          reason: `${displayPath(lock.file)} cannot be read: ${lock.reason}`,
          help: "fix it, or delete it and pull the modules again",
        };
      }
      const locked = lock?.lock.modules[key];
      if (locked !== undefined && locked.sha256 !== pin) {
        return {
          ok: false,
          code: "E1103",
          reason: `${displayPath(lock!.file)} pins sha256 ${locked.sha256.slice(0, 12)}…, not ${pin.slice(0, 12)}…`,
          help: `the lock records what \`roux pull ${key}\` fetched: use its hash, or pull again if the version was meant to change`,
        };
      }
      const asPackage = cachedPackageModule(pinned, options.env);
      if (asPackage !== undefined) return asPackage;
      const file = cachedModulePath(owner, name, version, options.env);
      let source: string;
      try {
        source = readFileSync(file, "utf8");
      } catch {
        return { ok: false, code: "E1103", reason: "not in the local cache", help: `run \`roux pull ${key}\`` };
      }
      const actual = sourceHash(source);
      if (actual !== pin) {
        return {
          ok: false,
          code: "E1103",
          reason: `the cached file's sha256 is ${actual.slice(0, 12)}…, not the pinned ${pin.slice(0, 12)}…`,
          help: `the cached copy at ${displayPath(file)} was changed after it was pulled; pull it again, or check the pin`,
        };
      }
      return { ok: true, file: displayPath(file), source, sealed: true };
    },
  };
}
