/**
 * `use "registry:OWNER/NAME@VERSION" sha256 "HEX" as x` resolves from the local cache that
 * `roux pull` fills, never from the network: a check must not depend on a server. The pinned
 * hash is of the module's source text as published; a cached file that does not match it was
 * changed after it was pulled, and is refused (E1103) rather than trusted.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { displayPath } from "./display-path.js";
import type { ModuleResolver, Resolution } from "./resolve.js";

const SPECIFIER = /^registry:([a-z0-9][a-z0-9_-]{0,38})\/([a-z0-9][a-z0-9_-]{0,63})@(\d+\.\d+\.\d+)$/;

/** Where pulled recipes live: `$ROUX_CACHE`, else `~/.cache/roux`. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.ROUX_CACHE || path.join(homedir(), ".cache", "roux");
}

export function cachedModulePath(owner: string, name: string, version: string, env?: NodeJS.ProcessEnv): string {
  return path.join(cacheDir(env), "registry", owner, name, `${version}.recipe`);
}

export function sourceHash(source: string): string {
  return createHash("sha256").update(source, "utf8").digest("hex");
}

export const registryResolver: ModuleResolver = {
  handles: (specifier) => specifier.startsWith("registry:"),
  resolve(specifier, _fromFile, pin): Resolution {
    const match = SPECIFIER.exec(specifier);
    if (match === null) {
      return { ok: false, reason: "not a registry module name", help: "write `registry:OWNER/NAME@MAJOR.MINOR.PATCH`" };
    }
    const [, owner, name, version] = match;
    if (pin === undefined) {
      return { ok: false, code: "E1103", reason: "a registry import must pin its hash", help: `add it: \`use "${specifier}" sha256 "..." as ...\` (\`roux pull\` prints it)` };
    }
    const file = cachedModulePath(owner, name, version);
    let source: string;
    try {
      source = readFileSync(file, "utf8");
    } catch {
      return { ok: false, code: "E1103", reason: "not in the local cache", help: `run \`roux pull ${owner}/${name}@${version}\`` };
    }
    const actual = sourceHash(source);
    if (actual !== pin.toLowerCase()) {
      return {
        ok: false,
        code: "E1103",
        reason: `the cached file's sha256 is ${actual.slice(0, 12)}…, not the pinned ${pin.slice(0, 12)}…`,
        help: `the cached copy at ${displayPath(file)} was changed after it was pulled; pull it again, or check the pin`,
      };
    }
    return { ok: true, file: displayPath(file), source };
  },
};
